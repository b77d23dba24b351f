// 通知（プッシュ）の画面の言葉: 何が届くか、この端末の状態、使えないときの案内。短い敬体で。
// 端末に出る知らせは「通知」、回覧そのものは「お知らせ」: 一つの言葉を二つの意味に使わない。
// Loaded with the opt-in component (its own chunk, web/src/components/PushOptIn.tsx), not with the first screen.
export const pushJa = {
  "push.title": "新しいお知らせの通知",
  "push.recommended": "おすすめ",
  "push.lead": "新しいお知らせが届くと、この端末に通知が出ます。",
  "push.urgent": "至急のお知らせは、すぐに通知します。",
  "push.night": "ふつうのお知らせは、夜9時から朝7時までは通知しません。朝7時に通知します。",
  "push.state": "この端末の通知：",
  "push.state.on": "受け取る",
  "push.state.onUrgent": "受け取る（至急のみ）",
  "push.state.notYet": "まだ設定していません",
  "push.state.off": "受け取らない",
  "push.state.unavailable": "この端末では使えません",
  "push.enable": "通知を受け取る",
  "push.enabling": "準備しています…",
  "push.result.ok": "この端末で、通知を受け取ります。",
  "push.result.dismissed": "通知が許可されませんでした。受け取るときは、もう一度押して「許可」を選んでください。",
  "push.result.denied": "通知が止められました。受け取るときは、下の説明のとおりに許可してください。",
  "push.result.offline": "インターネットにつながっていません。つながってから、もう一度お試しください。",
  "push.result.failed": "うまく設定できませんでした。しばらくしてから、もう一度お試しください。",
  "push.unsupported": "この端末では、通知の機能が使えません。新しいお知らせは、回覧板を開いて確かめてください。",
  "push.ios.lead": "iPhone・iPad では、回覧板をホーム画面に追加すると、通知を受け取れます（iOS 16.4 以降）。",
  "push.ios.step1": "画面の下（iPad は上）にある共有ボタン（四角から上に矢印が出ている形）を押します。",
  "push.ios.step2": "「ホーム画面に追加」を押して、「追加」を押します。",
  "push.ios.step3": "ホーム画面にできた「回覧板」から開いて、この画面の「通知を受け取る」を押します。",
  "push.ios.again": "ホーム画面から開いて、はじめの画面が出たときは、町内会の役員に新しい招待をお願いしてください。",
  "push.denied": "この端末では、回覧板の通知が止められています。",
  "push.denied.ios":
    "受け取るには、「設定」アプリを開いて、「通知」→「回覧板」と進み、「通知を許可」をオンにしてください。",
  "push.denied.android":
    "受け取るには、アドレス欄の左にあるマークを押して、「通知」を「許可」にしてください。ホーム画面から開いているときは、回覧板のアイコンを長く押して「アプリ情報」→「通知」をオンにしてください。",
  "push.denied.desktop": "受け取るには、アドレス欄の左にあるマークを押して、「通知」を「許可」にしてください。",
  "push.denied.check": "許可したので、もう一度確かめる",
  "push.mode.legend": "受け取る通知",
  "push.mode.all": "すべて",
  "push.mode.urgent": "至急のみ",
  "push.mode.off": "受け取らない",
  "push.mode.saved": "通知の設定を保存しました。",
  "push.test": "テスト通知を送る",
  "push.testing": "送っています…",
  "push.test.help": "押すと、この端末にテストの通知が届きます。",
  "push.test.sent": "テスト通知を送りました。まもなく届きます。届かないときは、端末の通知の設定を確かめてください。",
  "push.test.gone":
    "通知の登録をやり直しましたが、この端末に届けられませんでした。しばらくしてから、もう一度お試しください。",
  "push.test.failed": "テスト通知を送れませんでした。しばらくしてから、もう一度お試しください。",
} as const;

export type PushKey = keyof typeof pushJa;
