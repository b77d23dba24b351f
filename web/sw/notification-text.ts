// The words of a notification in each interface language (web/src/i18n/languages.ts): the device's language is the
// one the page last wrote for this worker (web/src/device-lang.ts). The server sends Japanese titles for the kinds it
// names itself (test, 安否確認, 見守り, 班長); in another language the worker writes its own. A circular's title is
// the leader's own words and stays as written. In Japanese, the words are exactly what the server and tests know.
import type { Lang } from "../src/i18n/languages";

export interface NotificationText {
  genericTitle: string;
  genericBody: string;
  testTitle: string;
  testBody: string;
  safetyTitle: string;
  /** 「【訓練】安否確認」. */
  safetyDrillTitle: string;
  safetyBody: string;
  watchTitle: string;
  watchBody: string;
  rotationTitle: string;
  rotationBody: string;
  /** 【至急】 before an urgent circular's title. */
  urgent: string;
  /** A reminder's body, {from} the association (may be empty). */
  reminder: string;
  answerReminder: string;
  fromAssociation: string;
  /** A circular's body when no association is named. */
  fromNobody: string;
}

const english: NotificationText = {
  genericTitle: "Kairan",
  genericBody: "There is a new notice.",
  testTitle: "Test notification",
  testBody: "This is a test notification. This is how they arrive.",
  safetyTitle: "Safety check",
  safetyDrillTitle: "[Drill] Safety check",
  safetyBody: "Are you safe? Tap to answer.",
  watchTitle: "Watch notice",
  watchBody: "A household has not read Kairan for a while.",
  rotationTitle: "You are now block leader",
  rotationBody: "Please open the block leader's guide.",
  urgent: "[Urgent] ",
  reminder: "A notice you have not read yet. {from}",
  answerReminder: "Please send your answer. {from}",
  fromAssociation: "A notice from {from}.",
  fromNobody: "A notice from your association.",
};

export const NOTIFICATION_TEXT: Record<Lang, NotificationText> = {
  ja: {
    genericTitle: "回覧板",
    genericBody: "新しいお知らせがあります。",
    testTitle: "テスト通知",
    testBody: "テスト通知です。このように届きます。",
    safetyTitle: "安否確認",
    safetyDrillTitle: "【訓練】安否確認",
    safetyBody: "ご無事ですか？タップして答えてください。",
    watchTitle: "見守りのお知らせ",
    watchBody: "しばらく回覧板を確認していない世帯があります。",
    rotationTitle: "班長になりました",
    rotationBody: "班長の仕事の案内を開いてください。",
    urgent: "【至急】",
    reminder: "まだ確認していない回覧です。{from}",
    answerReminder: "回答をお願いします。{from}",
    fromAssociation: "{from}からの回覧です。",
    fromNobody: "町内会からの回覧です。",
  },
  "zh-Hans": {
    genericTitle: "回览板",
    genericBody: "有新的通知。",
    testTitle: "测试提醒",
    testBody: "这是测试提醒。提醒会像这样送达。",
    safetyTitle: "安危确认（安否確認）",
    safetyDrillTitle: "【演习】安危确认（安否確認）",
    safetyBody: "您平安吗？请点击回答。",
    watchTitle: "守望关照（見守り）的通知",
    watchBody: "有住户一段时间没有阅读回览板。",
    rotationTitle: "您成为班长（班長）了",
    rotationBody: "请打开班长工作的说明。",
    urgent: "【紧急】",
    reminder: "这是您尚未阅读的通知。{from}",
    answerReminder: "请回答。{from}",
    fromAssociation: "来自{from}的通知。",
    fromNobody: "来自町内会的通知。",
  },
  ko: {
    genericTitle: "회람판",
    genericBody: "새 알림이 있습니다.",
    testTitle: "테스트 통지",
    testBody: "테스트 통지입니다. 이렇게 도착합니다.",
    safetyTitle: "안부 확인(安否確認)",
    safetyDrillTitle: "[훈련] 안부 확인(安否確認)",
    safetyBody: "무사하십니까? 눌러서 답해 주세요.",
    watchTitle: "돌봄 알림(見守り)",
    watchBody: "한동안 회람판을 확인하지 않은 세대가 있습니다.",
    rotationTitle: "반장(班長)이 되었습니다",
    rotationBody: "반장 업무 안내를 열어 주세요.",
    urgent: "[긴급] ",
    reminder: "아직 확인하지 않은 알림입니다. {from}",
    answerReminder: "답해 주세요. {from}",
    fromAssociation: "{from}의 알림입니다.",
    fromNobody: "자치회의 알림입니다.",
  },
  en: english,
  vi: {
    genericTitle: "Kairan",
    genericBody: "Có bản tin mới.",
    testTitle: "Thông báo thử",
    testBody: "Đây là thông báo thử. Thông báo sẽ đến như thế này.",
    safetyTitle: "Xác nhận an toàn (安否確認)",
    safetyDrillTitle: "[Diễn tập] Xác nhận an toàn (安否確認)",
    safetyBody: "Bạn có an toàn không? Hãy chạm để trả lời.",
    watchTitle: "Thông báo thăm nom (見守り)",
    watchBody: "Có hộ đã lâu chưa đọc bản tin.",
    rotationTitle: "Bạn đã thành tổ trưởng (班長)",
    rotationBody: "Hãy mở hướng dẫn công việc tổ trưởng.",
    urgent: "[Khẩn] ",
    reminder: "Bản tin bạn chưa đọc. {from}",
    answerReminder: "Xin hãy gửi câu trả lời. {from}",
    fromAssociation: "Bản tin từ {from}.",
    fromNobody: "Bản tin từ hội khu phố.",
  },
  ne: {
    genericTitle: "काइरान",
    genericBody: "नयाँ सूचना आएको छ।",
    testTitle: "परीक्षण नोटिफिकेसन",
    testBody: "यो परीक्षण नोटिफिकेसन हो। नोटिफिकेसन यसरी आउँछ।",
    safetyTitle: "सुरक्षा जाँच (安否確認)",
    safetyDrillTitle: "[अभ्यास] सुरक्षा जाँच (安否確認)",
    safetyBody: "तपाईं सुरक्षित हुनुहुन्छ? थिचेर जवाफ दिनुहोस्।",
    watchTitle: "हेरचाह सूचना (見守り)",
    watchBody: "केही समयदेखि सूचना नपढेको घर छ।",
    rotationTitle: "तपाईं समूह प्रमुख (班長) हुनुभयो",
    rotationBody: "समूह प्रमुखको कामको निर्देशन खोल्नुहोस्।",
    urgent: "[जरुरी] ",
    reminder: "तपाईंले नपढेको सूचना। {from}",
    answerReminder: "कृपया जवाफ पठाउनुहोस्। {from}",
    fromAssociation: "{from} बाट सूचना।",
    fromNobody: "टोल समितिबाट सूचना।",
  },
};
