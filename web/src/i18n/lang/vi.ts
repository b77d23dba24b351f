// PLACEHOLDER: the English strings, until the vi translation replaces this file (same layout: every ResidentKey).
import { answersEn } from "../answers.en";
import { en } from "../en";
import { pushEn } from "../push.en";
import type { ResidentMessages } from "../resident-messages";
import { safetyEn } from "../safety.en";
import { supportEn } from "../support.en";
import { watchEn } from "../watch.en";

const messages: ResidentMessages = {
  ...en,
  ...answersEn,
  ...safetyEn,
  ...pushEn,
  ...watchEn,
  ...supportEn,
  // English leaves it out; every file of its own has one.
  "safety.peopleUnit": "people",
};
export default messages;
