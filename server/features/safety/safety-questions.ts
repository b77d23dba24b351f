// A 安否確認 is a circular of kind "safety" whose questions are fixed: the household's state (無事です / 助けが必要です),
// what it needs, a short note and how many people are with it now. Asking them as ordinary questions lets a safety
// answer travel the answers' one path (the coalesced writer, the offline queue, the tallies, the city's tallies by
// area: docs/adr/0008) instead of a second copy of it. Nothing is imported at run time, so the PWA can use it too.
import type { AnswerValues, Question } from "../answers/questions";

export const SAFETY_NEEDS = ["injury", "home", "supplies", "other"] as const;
export type SafetyNeed = (typeof SAFETY_NEEDS)[number];
export const SAFETY_NEED_LABELS: Record<SafetyNeed, { ja: string; en: string }> = {
  injury: { ja: "けが", en: "Injured" },
  home: { ja: "家にいられない", en: "Cannot stay at home" },
  supplies: { ja: "薬・食料", en: "Medicine or food" },
  other: { ja: "その他", en: "Other" },
};

/** The words of the two answers, as on the resident's two buttons. */
export const SAFETY_ANSWER_LABELS = {
  safe: { ja: "無事です", en: "We are safe" },
  help: { ja: "助けが必要です", en: "We need help" },
} as const;

export const DEFAULT_SAFETY_MESSAGE = "地震がありました。ご無事ですか？";
export const SAFETY_MESSAGE_MAX = 200;
export const SAFETY_PEOPLE = { min: 1, max: 99 } as const;

/** The questions every safety check asks, with fixed ids (the answer's keys and the tallies' question ids). */
export const SAFETY_QUESTIONS: Question[] = [
  {
    id: "state",
    kind: "single",
    label: "安否",
    required: true,
    options: [
      { id: "safe", label: SAFETY_ANSWER_LABELS.safe.ja },
      { id: "help", label: SAFETY_ANSWER_LABELS.help.ja },
    ],
    max: null,
    min: null,
    unit: "",
  },
  {
    id: "needs",
    kind: "multiple",
    label: "必要なこと",
    required: false,
    options: SAFETY_NEEDS.map((n) => ({ id: n, label: SAFETY_NEED_LABELS[n].ja })),
    max: null,
    min: null,
    unit: "",
  },
  { id: "note", kind: "text", label: "ひとこと", required: false, options: [], max: null, min: null, unit: "" },
  {
    id: "people",
    kind: "number",
    label: "いま一緒にいる人数",
    required: false,
    options: [],
    max: SAFETY_PEOPLE.max,
    min: SAFETY_PEOPLE.min,
    unit: "人",
  },
];

/** A safety answer read back from its stored value. */
export interface SafetyAnswer {
  state: "safe" | "help";
  needs: SafetyNeed[];
  note: string;
  people: number | null;
}

export function safetyAnswerOf(value: AnswerValues): SafetyAnswer {
  const state = value.state && "choice" in value.state && value.state.choice === "help" ? "help" : "safe";
  const needs = value.needs && "choices" in value.needs ? (value.needs.choices as SafetyNeed[]) : [];
  const note = value.note && "text" in value.note ? value.note.text : "";
  const people = value.people && "number" in value.people ? value.people.number : null;
  // Needs and the note belong to 「助けが必要です」; an answer changed to 無事 keeps none of them.
  return state === "help" ? { state, needs, note, people } : { state, needs: [], note: "", people };
}

/** The answer a resident or a 班長 sends, as the answers' path takes it. */
export function safetyAnswerValues(a: {
  state: "safe" | "help";
  needs?: readonly SafetyNeed[] | undefined;
  note?: string | undefined;
  people?: number | null | undefined;
}): AnswerValues {
  const out: AnswerValues = { state: { choice: a.state } };
  if (a.state === "help" && a.needs && a.needs.length > 0) out.needs = { choices: [...a.needs] };
  if (a.state === "help" && a.note && a.note.trim() !== "") out.note = { text: a.note };
  if (a.people !== null && a.people !== undefined) out.people = { number: a.people };
  return out;
}
