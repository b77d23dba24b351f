import type { PushKey } from "./push.ja";

export const pushEn: Record<PushKey, string> = {
  "push.title": "Notifications of new notices",
  "push.recommended": "Recommended",
  "push.lead": "When a new notice arrives, a notification appears on this device.",
  "push.urgent": "Urgent notices are sent at once.",
  "push.night": "Other notices are not sent between 9 pm and 7 am. They arrive at 7 am.",
  "push.state": "Notifications on this device: ",
  "push.state.on": "On",
  "push.state.onUrgent": "On (urgent only)",
  "push.state.notYet": "Not set up yet",
  "push.state.off": "Off",
  "push.state.unavailable": "Not available on this device",
  "push.enable": "Receive notifications",
  "push.enabling": "Setting up…",
  "push.result.ok": "This device will receive notifications.",
  "push.result.dismissed":
    "Notifications were not allowed. To receive them, press the button again and choose “Allow”.",
  "push.result.denied": "Notifications were blocked. To receive them, allow them as described below.",
  "push.result.offline": "You are offline. Please connect to the internet and try again.",
  "push.result.failed": "This did not work. Please try again later.",
  "push.unsupported": "This device cannot show notifications. Please open Kairan to check for new notices.",
  "push.ios.lead": "On an iPhone or iPad, add Kairan to the Home Screen to receive notifications (iOS 16.4 or later).",
  "push.ios.step1":
    "Press the Share button (a square with an arrow pointing up), at the bottom of the screen (at the top on an iPad).",
  "push.ios.step2": "Press “Add to Home Screen”, then “Add”.",
  "push.ios.step3":
    "Open Kairan from its new icon on the Home Screen and press “Receive notifications” on this screen.",
  "push.ios.again": "If it opens at the first screen, please ask your association for a new invite.",
  "push.denied": "Notifications from Kairan are blocked on this device.",
  "push.denied.ios":
    "To receive them, open the Settings app, go to Notifications, then Kairan (回覧板), and turn on Allow Notifications.",
  "push.denied.android":
    "To receive them, press the mark left of the address bar and set Notifications to Allow. If you opened Kairan from the Home Screen, press and hold its icon, choose App info, then Notifications, and turn them on.",
  "push.denied.desktop": "To receive them, press the mark left of the address bar and set Notifications to Allow.",
  "push.denied.check": "I have allowed them: check again",
  "push.mode.legend": "Which notifications",
  "push.mode.all": "All",
  "push.mode.urgent": "Urgent only",
  "push.mode.off": "None",
  "push.mode.saved": "Notification setting saved.",
  "push.test": "Send a test notification",
  "push.testing": "Sending…",
  "push.test.help": "A test notification arrives on this device.",
  "push.test.sent":
    "A test notification was sent. It will arrive shortly. If it does not, check the notification settings of this device.",
  "push.test.gone": "Notifications were set up again, but could not reach this device. Please try again later.",
  "push.test.failed": "The test notification could not be sent. Please try again later.",
};
