// One question of the answer form, drawn for a finger at 特大: choices as large tiles (real radio and checkbox
// inputs spread over the whole tile, so a tap anywhere on it chooses, and keyboards and screen readers get the
// native controls), the choice shown by a mark and a filled tile, not colour alone; 人数 with big −/+; numbers with
// the numeric keyboard; short text with a counter. The question says 「必須」 or 「任意」; a problem is said under it.
import type { ComponentChildren } from "preact";
import {
  numberRange,
  PEOPLE,
  TEXT_MAX,
  textLength,
  wholeNumber,
} from "../../../../../server/features/answers/answer-rules";
import type { Question } from "../../../api";
import { serverLang, t } from "../../../i18n";
import { optionLabel, type DraftItem } from "./draft";

export interface QuestionFieldProps {
  q: Question;
  index: number;
  item: DraftItem;
  onChange(next: DraftItem): void;
  /** What is wrong with it, in the app's language (from the check before sending, or from the server). */
  problem: string | undefined;
}

const ids = (q: Question) => ({
  head: `q-${q.id}-head`,
  help: `q-${q.id}-help`,
  error: `q-${q.id}-error`,
  input: `q-${q.id}-input`,
  people: `q-${q.id}-people`,
});

/** Ids of the help and the problem under a question, for aria-describedby. */
const describedBy = (q: Question, help: boolean, problem: string | undefined) =>
  [help ? ids(q).help : "", problem ? ids(q).error : ""].filter(Boolean).join(" ") || undefined;

function Head({ q, index }: { q: Question; index: number }) {
  return (
    <>
      <span class="q-no">{t("answers.number", { n: index + 1 })}</span>
      <span id={ids(q).head}>{q.label}</span>{" "}
      <span class={q.required ? "badge required" : "badge optional"}>
        {t(q.required ? "answers.required" : "answers.optional")}
      </span>
    </>
  );
}

function Tile(p: { type: "radio" | "checkbox"; name: string; checked: boolean; onChange(): void; label: string }) {
  return (
    <label class={p.checked ? "tile checked" : "tile"}>
      <input type={p.type} name={p.name} checked={p.checked} onChange={p.onChange} />
      <span class={p.type === "radio" ? "tile-mark round" : "tile-mark"} aria-hidden="true">
        {p.checked ? "✓" : ""}
      </span>
      <span>{p.label}</span>
    </label>
  );
}

function People({ q, item, onChange, problem }: QuestionFieldProps) {
  const n = wholeNumber(item.people);
  const step = (by: number) => {
    const from = n === null || Number.isNaN(n) ? PEOPLE.min - by : n;
    onChange({ ...item, people: String(Math.min(PEOPLE.max, Math.max(PEOPLE.min, from + by))) });
  };
  return (
    <div class="field people">
      <label for={ids(q).people}>{t("answers.people")}</label>
      <div class="stepper">
        <button
          type="button"
          class="btn"
          onClick={() => step(-1)}
          aria-label={t("answers.peopleLess")}
          aria-controls={ids(q).people}
        >
          −
        </button>
        <input
          id={ids(q).people}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={item.people}
          onInput={(e) => onChange({ ...item, people: e.currentTarget.value })}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? ids(q).error : undefined}
        />
        <span class="unit" aria-hidden="true">
          {t("answers.peopleUnit")}
        </span>
        <button
          type="button"
          class="btn"
          onClick={() => step(1)}
          aria-label={t("answers.peopleMore")}
          aria-controls={ids(q).people}
        >
          ＋
        </button>
      </div>
    </div>
  );
}

/** A question with choices: a fieldset whose legend is the question. */
function Choices(p: QuestionFieldProps & { help: string | null; children?: ComponentChildren }) {
  const { q, item, onChange } = p;
  const several = q.kind === "multiple";
  const toggle = (id: string) =>
    onChange(
      several
        ? { ...item, choices: item.choices.includes(id) ? item.choices.filter((c) => c !== id) : [...item.choices, id] }
        : { ...item, choice: id },
    );
  return (
    <fieldset aria-describedby={describedBy(q, !!p.help, p.problem)}>
      <legend class="q-head">
        <Head q={q} index={p.index} />
      </legend>
      {p.help && (
        <p class="help" id={ids(q).help}>
          {p.help}
        </p>
      )}
      <div class="tiles">
        {q.options.map((o) => (
          <Tile
            key={o.id}
            type={several ? "checkbox" : "radio"}
            name={q.id}
            checked={several ? item.choices.includes(o.id) : item.choice === o.id}
            onChange={() => toggle(o.id)}
            label={optionLabel(q, o.id)}
          />
        ))}
      </div>
      {p.children}
    </fieldset>
  );
}

/** A question typed in: a number (numeric keyboard, with its unit) or a short text (with a counter). */
function Typed({ q, index, item, onChange, problem }: QuestionFieldProps) {
  const number = q.kind === "number";
  const range = numberRange(q)[serverLang()];
  const help = number
    ? range && t("answers.range", { range })
    : t("answers.textCount", { n: textLength(item.text), max: TEXT_MAX });
  const common = {
    id: ids(q).input,
    value: item.text,
    onInput: (e: { currentTarget: { value: string } }) => onChange({ ...item, text: e.currentTarget.value }),
    "aria-invalid": problem ? ("true" as const) : undefined,
    "aria-describedby": describedBy(q, !!help, problem),
  };
  return (
    <div class="field">
      <label class="q-head" for={ids(q).input}>
        <Head q={q} index={index} />
      </label>
      {number ? (
        <div class="number-row">
          <input {...common} type="text" inputMode="numeric" autoComplete="off" />
          {q.unit && <span>{q.unit}</span>}
        </div>
      ) : (
        <textarea {...common} rows={3} />
      )}
      {help && (
        <p class="help" id={ids(q).help}>
          {help}
        </p>
      )}
    </div>
  );
}

export function QuestionField(p: QuestionFieldProps) {
  const { q, problem } = p;
  let body: ComponentChildren;
  if (q.kind === "number" || q.kind === "text") body = <Typed {...p} />;
  else {
    const help =
      q.kind === "multiple" ? (q.max !== null ? t("answers.maxChoices", { n: q.max }) : t("answers.anyChoices")) : null;
    body = (
      <Choices {...p} help={help}>
        {q.kind === "attendance" && p.item.choice === "attend" && <People {...p} />}
      </Choices>
    );
  }
  return (
    <div class={problem ? "question invalid" : "question"}>
      {body}
      {problem && (
        <p class="q-error" id={ids(q).error}>
          {problem}
        </p>
      )}
    </div>
  );
}
