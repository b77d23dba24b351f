// 回覧の質問と回答の画面の言葉（住民）。短い敬体で。「出席」「欠席」「未定」「人数」「回答する」「回答済み」「回答を変える」
// 「締め切りました」は、この機能の言葉として変えずに使う。
// Loaded with the answer section (its own chunk, web/src/pages/resident/answers/), not with the first screen.
export const answersJa = {
  "answers.title": "質問",
  "answers.lead": "答えを選んで、いちばん下の「回答する」を押してください。回答すると「確認しました」も伝わります。",
  "answers.anonymous": "無記名の質問です。回答の中身は、どのお宅のものか役員にもわかりません。",
  "answers.number": "質問{n}",
  "answers.required": "必須",
  "answers.optional": "任意",
  "answers.people": "人数",
  "answers.peopleUnit": "人",
  "answers.peopleLess": "人数を1人へらす",
  "answers.peopleMore": "人数を1人ふやす",
  "answers.maxChoices": "{n}つまで選べます",
  "answers.anyChoices": "いくつでも選べます",
  "answers.range": "{range}で入力してください",
  "answers.textCount": "{n} / {max}文字",
  "answers.submit": "回答する",
  "answers.sending": "送っています…",
  "answers.check": "答えていない質問か、直すところがあります。質問の下に出ている説明をご覧ください。",
  "answers.failed": "送れませんでした。もう一度「回答する」を押してください。",
  "answers.done": "回答済み {date}",
  "answers.donePaper": "紙で回答済み {date}",
  "answers.by": "回答した方：{name}",
  "answers.yours": "このお宅の回答",
  "answers.waiting": "送信待ちの回答",
  "answers.change": "回答を変える",
  "answers.keep": "変えずに戻る",
  "answers.closed": "締め切りました。回答はもう変えられません。",
  "answers.closedNone": "締め切りました。このお宅の回答はありません。",
  "answers.replaced": "ほかの方が後から回答したため、その回答になっています。",
  "answers.none": "回答なし",
  "answers.withPeople": "{choice}（{n}人）",
  "answers.join": "、",
} as const;

export type AnswersKey = keyof typeof answersJa;
