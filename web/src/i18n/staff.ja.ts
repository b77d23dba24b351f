// 役員・班長の画面と市の職員の画面に共通の言葉（フォーム、エラー、ログアウト）。
// This dictionary is part of the staff code shared by the leader and city chunks (web/src/pages/staff/i18n.ts
// registers it), never the resident one.
export const staffJa = {
  "staff.nav.signOut": "ログアウト",
  "staff.error.offline": "インターネットにつながっていません。つながってから、もう一度お試しください。",
  "staff.error.unknown": "うまくいきませんでした。少し待ってから、もう一度お試しください。",
  "staff.form.required": "必須",
  "staff.form.checkFields": "入力内容を確認してください。赤い文字の説明に沿って直してください。",
  "staff.file.choose": "ファイルを選ぶ",
  "staff.date.unset": "未設定",
};

export type StaffKey = keyof typeof staffJa;
