// English alongside web/src/i18n/support.ja.ts.
import type { SupportKey } from "./support.ja";

export const supportEn: Record<SupportKey, string> = {
  "support.settings.title": "I need help in a disaster (support register)",
  "support.settings.lead":
    "If you would need help to evacuate in an earthquake or heavy rain, please register. The association checks on you first in a safety check.",
  "support.settings.who":
    "Only the association's leader, your block's leader and the supporters you choose can see what you register. Every view is recorded. The city is never told.",
  "support.settings.withdrawHelp": "You can stop at any time; what you registered is deleted at once.",
  "support.settings.on": "This household is on the support register.",
  "support.settings.onPaper": "An officer registered it from your signed paper form.",
  "support.settings.needs": "Help needed: {needs}",
  "support.settings.supporters": "Supporters: {names}",
  "support.settings.noSupporters": "Supporters: none chosen",
  "support.settings.start": "Register",
  "support.settings.change": "Change",
  "support.settings.save": "Register with these details",
  "support.settings.saved": "Your registration was saved.",
  "support.settings.withdraw": "Stop and delete",
  "support.settings.withdrawConfirm": "Stop the registration? What you registered is deleted at once.",
  "support.settings.withdrawn": "The registration was stopped and deleted.",
  "support.need.walking": "Difficulty walking",
  "support.need.sight": "Poor eyesight",
  "support.need.hearing": "Hard of hearing",
  "support.need.medical": "Uses medical equipment",
  "support.need.other": "Other",
  "support.form.needs": "What help is needed (all that apply)",
  "support.form.note": "Anything to tell them (optional)",
  "support.form.noteHelp": "For example: sleeps upstairs; uses an oxygen cylinder.",
  "support.form.supporters": "Supporters (optional)",
  "support.form.supportersHelp":
    "Neighbours or others you would like to check on you in a disaster. They can see these details too.",
  "support.form.noCandidates": "There is nobody to choose.",
  "support.form.consent": "I agree that the leader, the block leader and the chosen supporters see these details.",
  "support.form.consentPaper": "I have received the consent form signed by this household.",
  "support.form.consentNeeded": "Please tick the consent box to register.",
  "support.cancel": "Cancel",
  "support.saving": "Sending…",
  "support.offline": "You are offline. Please try again once connected.",
  "support.error": "That did not work. Please try again.",

  "support.hh.button": "Support",
  "support.hh.title": "Support register for {label} (from a paper form)",
  "support.hh.help": "Record it from the consent form the household signed. Viewing it is recorded.",
  "support.hh.saved": "The registration for {label} was saved.",
  "support.hh.withdraw": "Delete (consent withdrawn)",
  "support.hh.withdrawConfirm": "Delete the registration for {label}? It is deleted at once.",
  "support.hh.withdrawn": "The registration for {label} was deleted.",

  "support.list.title": "Support register",
  "support.list.lead":
    "Households registered as needing help in a disaster. Only the leader, their block leader and chosen supporters can see them. Opening this screen is recorded.",
  "support.list.empty": "There is nothing you can see.",
  "support.list.count": "{n} households",
  "support.list.paper": "Paper form",
  "support.list.app": "Registered in the app",
  "support.list.updated": "Updated {date}",
  "support.list.print": "Print",

  "support.settings.supporting": "{n} household(s) chose you as a supporter.",
  "support.settings.openList": "See the households you support",
  "support.resident.title": "Households you support",
  "support.resident.lead":
    "These households chose you as a supporter. In a disaster, please check on them as far as you safely can. Opening this screen is recorded.",
};
