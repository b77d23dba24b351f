// 「質問を追加」 on the compose screen (a leader's and the city's alike): up to 10 questions, each with its kind
// (出欠 / ひとつ選ぶ / いくつでも選ぶ / 数 / 短い文), its words, 必須 or 任意, and what its kind needs (the options,
// the most choices, the unit and range); moved up and down, removed; and 「無記名にする」. What to fix is shown under
// each question's words (questions-form.ts, and the server's own messages the same way).
import { useState } from "preact/hooks";
import { RadioGroup, TextField } from "../fields";
import { st } from "../i18n";
import { KINDS, kindName, MAX_OPTIONS, MAX_QUESTIONS, type QuestionKind } from "../questions";
import { newQuestion, type QuestionDraft } from "./questions-form";

const later = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

function OptionsField({
  base,
  q,
  change,
}: {
  base: string;
  q: QuestionDraft;
  change: (patch: Partial<QuestionDraft>) => void;
}) {
  const setOption = (k: number, value: string) => change({ options: q.options.map((o, j) => (j === k ? value : o)) });
  return (
    <fieldset class="field option-field" aria-describedby={`${base}-opts-help`}>
      <legend>{st("staff.q.options")}</legend>
      <ol class="option-list">
        {q.options.map((o, k) => (
          <li key={k} class="option-row">
            <TextField
              id={`${base}-opt-${k}`}
              label={st("staff.q.option", { n: k + 1 })}
              value={o}
              onInput={(v) => setOption(k, v)}
              maxLength={60}
            />
            {q.options.length > 2 && (
              <button
                type="button"
                class="btn link"
                aria-label={st("staff.q.optionRemove", { n: k + 1 })}
                onClick={() => {
                  change({ options: q.options.filter((_, j) => j !== k) });
                  later(`${base}-opt-${Math.max(0, k - 1)}`);
                }}
              >
                {st("staff.q.removeShort")}
              </button>
            )}
          </li>
        ))}
      </ol>
      {q.options.length < MAX_OPTIONS && (
        <p>
          <button
            type="button"
            class="btn"
            onClick={() => {
              change({ options: [...q.options, ""] });
              later(`${base}-opt-${q.options.length}`);
            }}
          >
            {st("staff.q.optionAdd")}
          </button>
        </p>
      )}
      <p class="help" id={`${base}-opts-help`}>
        {st("staff.q.optionsHelp")}
      </p>
    </fieldset>
  );
}

/** What a kind asks besides the words: the options, the most choices, the unit and range, or a line of help. */
function KindFields({
  base,
  q,
  change,
}: {
  base: string;
  q: QuestionDraft;
  change: (patch: Partial<QuestionDraft>) => void;
}) {
  switch (q.kind) {
    case "attendance":
      return <p class="muted">{st("staff.q.attendanceHelp")}</p>;
    case "text":
      return <p class="muted">{st("staff.q.textHelp")}</p>;
    case "single":
      return <OptionsField base={base} q={q} change={change} />;
    case "multiple":
      return (
        <>
          <OptionsField base={base} q={q} change={change} />
          <div class="question-numbers">
            <TextField
              id={`${base}-max`}
              label={st("staff.q.maxChoices")}
              value={q.max}
              onInput={(max) => change({ max })}
              inputMode="numeric"
              maxLength={2}
              help={st("staff.q.maxChoicesHelp")}
            />
          </div>
        </>
      );
    case "number":
      return (
        <div class="question-numbers row">
          <TextField
            id={`${base}-unit`}
            label={st("staff.q.unit")}
            value={q.unit}
            onInput={(unit) => change({ unit })}
            maxLength={10}
            help={st("staff.q.unitHelp")}
          />
          <TextField
            id={`${base}-min`}
            label={st("staff.q.min")}
            value={q.min}
            onInput={(min) => change({ min })}
            inputMode="numeric"
            maxLength={11}
            help={st("staff.q.rangeHelp")}
          />
          <TextField
            id={`${base}-maxn`}
            label={st("staff.q.max")}
            value={q.max}
            onInput={(max) => change({ max })}
            inputMode="numeric"
            maxLength={11}
            help={st("staff.q.rangeHelp")}
          />
        </div>
      );
  }
}

/**
 * The questions of a draft. `id` is the field's (`${formId}-questions`): the heading has it, and each question's words
 * `${id}-<i>`, where the form puts the focus on an error. Other ids follow the question's key, so that moving a
 * question never gives two radio groups the same name for a moment (the browser would untick one).
 */
export function QuestionsField(p: {
  id: string;
  questions: QuestionDraft[];
  anonymous: boolean;
  onChange: (patch: { questions?: QuestionDraft[]; anonymous?: boolean }) => void;
  errors: Record<string, string>;
}) {
  const [announce, setAnnounce] = useState("");
  const qs = p.questions;
  const set = (questions: QuestionDraft[]) => p.onChange({ questions });
  const baseOf = (q: QuestionDraft) => `${p.id}-k${q.key}`;

  function add() {
    const q = newQuestion();
    set([...qs, q]);
    setAnnounce(st("staff.q.added", { n: qs.length + 1 }));
    later(`${baseOf(q)}-kind`);
  }
  function remove(i: number) {
    set(qs.filter((_, j) => j !== i));
    setAnnounce(st("staff.q.removed", { n: i + 1 }));
    later(`${p.id}-add`);
  }
  function move(i: number, by: -1 | 1) {
    const j = i + by;
    const next = [...qs];
    [next[i], next[j]] = [next[j]!, next[i]!];
    set(next);
    setAnnounce(st("staff.q.moved", { n: j + 1 }));
    // The same button where it can go on, else the other one.
    const atEdge = j === 0 || j === qs.length - 1;
    const same = by < 0 ? "up" : "down";
    later(`${baseOf(qs[i]!)}-${atEdge ? (same === "up" ? "down" : "up") : same}`);
  }

  return (
    <section class="stack questions-field" aria-labelledby={p.id}>
      <h2 id={p.id} tabIndex={-1}>
        {st("staff.q.title")}
      </h2>
      <p class="muted">{st("staff.q.lead")}</p>
      {qs.map((q, i) => {
        const base = baseOf(q);
        const change = (patch: Partial<QuestionDraft>) => set(qs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
        return (
          <fieldset key={q.key} class="question-edit stack">
            <legend class="as-h3">{st("staff.q.legend", { n: i + 1 })}</legend>
            <RadioGroup<QuestionKind>
              id={`${base}-kind`}
              name={`${base}-kind`}
              legend={st("staff.q.kind")}
              value={q.kind}
              onChange={(kind) => change({ kind })}
              options={KINDS.map((k) => ({ value: k, label: kindName(k) }))}
            />
            <TextField
              id={`${p.id}-${i}`}
              label={st("staff.q.label")}
              value={q.label}
              onInput={(label) => change({ label })}
              required
              maxLength={100}
              help={st("staff.q.labelHelp")}
              error={p.errors[`questions.${i}`]}
            />
            <KindFields base={base} q={q} change={change} />
            <RadioGroup<"yes" | "no">
              id={`${base}-required`}
              name={`${base}-required`}
              legend={st("staff.q.required")}
              value={q.required ? "yes" : "no"}
              onChange={(v) => change({ required: v === "yes" })}
              options={[
                { value: "yes", label: st("staff.q.requiredYes") },
                { value: "no", label: st("staff.q.requiredNo") },
              ]}
            />
            <div class="row question-tools">
              {i > 0 && (
                <button
                  type="button"
                  class="btn"
                  id={`${base}-up`}
                  aria-label={st("staff.q.upLabel", { n: i + 1 })}
                  onClick={() => move(i, -1)}
                >
                  {st("staff.q.up")}
                </button>
              )}
              {i < qs.length - 1 && (
                <button
                  type="button"
                  class="btn"
                  id={`${base}-down`}
                  aria-label={st("staff.q.downLabel", { n: i + 1 })}
                  onClick={() => move(i, 1)}
                >
                  {st("staff.q.down")}
                </button>
              )}
              <button type="button" class="btn danger" onClick={() => remove(i)}>
                {st("staff.q.remove", { n: i + 1 })}
              </button>
            </div>
          </fieldset>
        );
      })}
      {qs.length < MAX_QUESTIONS ? (
        <p>
          <button type="button" class="btn" id={`${p.id}-add`} onClick={add}>
            {st("staff.q.add")}
          </button>
        </p>
      ) : (
        <p class="notice">{st("staff.q.full")}</p>
      )}
      {qs.length > 0 && (
        <div class="field">
          <label class="choice">
            <input
              type="checkbox"
              checked={p.anonymous}
              onChange={(e) => p.onChange({ anonymous: (e.target as HTMLInputElement).checked })}
              aria-describedby={`${p.id}-anonymous-help`}
            />
            {st("staff.q.anonymous")}
          </label>
          <p class="help" id={`${p.id}-anonymous-help`}>
            {st("staff.q.anonymousHelp")}
          </p>
        </div>
      )}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
    </section>
  );
}
