// 要支援の登録の言葉: 住民の設定、会長の世帯の画面（紙の同意書）、要支援の名簿。短い敬体で、誰が見るかをはっきりと。
// Loaded with the 要支援 components (their own chunk), not with the first screen.
export const supportJa = {
  "support.settings.title": "災害時に支援が必要です（要支援の登録）",
  "support.settings.lead":
    "地震や大雨のとき、避難するのに手助けが必要な方は登録してください。町内会が、安否確認でまっさきに様子を確かめます。",
  "support.settings.who":
    "登録した内容を見られるのは、町内会の会長、この世帯の班の班長、あなたが選んだ支援者だけです。見た記録は残ります。市には伝わりません。",
  "support.settings.withdrawHelp": "登録はいつでもやめられます。やめると、内容はすぐに消えます。",
  "support.settings.on": "要支援の登録をしています。",
  "support.settings.onPaper": "紙の同意書から、町内会の役員が登録しました。",
  "support.settings.needs": "支援が必要なこと：{needs}",
  "support.settings.supporters": "支援者：{names}",
  "support.settings.noSupporters": "支援者：選んでいません",
  "support.settings.start": "登録する",
  "support.settings.change": "内容を変える",
  "support.settings.save": "この内容で登録する",
  "support.settings.saved": "要支援の登録を保存しました。",
  "support.settings.withdraw": "登録をやめる",
  "support.settings.withdrawConfirm": "要支援の登録をやめますか？登録した内容はすぐに消えます。",
  "support.settings.withdrawn": "要支援の登録をやめました。内容は消しました。",
  "support.need.walking": "歩くのが難しい",
  "support.need.sight": "目が見えにくい",
  "support.need.hearing": "耳が聞こえにくい",
  "support.need.medical": "医療機器を使っている",
  "support.need.other": "その他",
  "support.form.needs": "支援が必要なこと（当てはまるものすべて）",
  "support.form.note": "伝えておきたいこと（なくてもかまいません）",
  "support.form.noteHelp": "例：2階で寝ています。酸素ボンベを使っています。",
  "support.form.supporters": "支援者（なくてもかまいません）",
  "support.form.supportersHelp":
    "近所の方など、災害のときに様子を見に来てほしい方を選んでください。選んだ方も、この内容を見られます。",
  "support.form.noCandidates": "選べる方がいません。",
  "support.form.consent": "上の内容を、会長・班長・選んだ支援者が見ることに同意します。",
  "support.form.consentPaper": "この世帯が署名した同意書を受け取りました。",
  "support.form.consentNeeded": "登録するには、同意のチェックが必要です。",
  "support.cancel": "やめる",
  "support.saving": "送っています…",
  "support.offline": "インターネットにつながっていません。つながってから、もう一度お試しください。",
  "support.error": "うまくいきませんでした。もう一度お試しください。",

  "support.hh.button": "要支援",
  "support.hh.title": "{label}さんの要支援の登録（紙の同意書から）",
  "support.hh.help": "世帯が署名した紙の同意書から登録します。見たことは記録に残ります。",
  "support.hh.saved": "{label}さんの要支援の登録を保存しました。",
  "support.hh.withdraw": "登録を消す（同意の取り下げ）",
  "support.hh.withdrawConfirm": "{label}さんの要支援の登録を消しますか？内容はすぐに消えます。",
  "support.hh.withdrawn": "{label}さんの要支援の登録を消しました。",

  "support.list.title": "要支援の名簿",
  "support.list.lead":
    "災害のときに支援が必要と登録した世帯です。見られるのは会長、その班の班長、選ばれた支援者だけです。この画面を開いたことは記録に残ります。",
  "support.list.empty": "見られる登録はありません。",
  "support.list.count": "{n}世帯",
  "support.list.paper": "紙の同意書",
  "support.list.app": "アプリで登録",
  "support.list.updated": "{date} 更新",
  "support.list.print": "印刷する",

  "support.settings.supporting": "あなたは {n} 世帯の支援者に選ばれています。",
  "support.settings.openList": "支援する世帯を見る",
  "support.resident.title": "支援する世帯",
  "support.resident.lead":
    "あなたを支援者に選んだ世帯です。災害のときは、できる範囲で様子を見に行ってください。この画面を開いたことは記録に残ります。",
} as const;

export type SupportKey = keyof typeof supportJa;
