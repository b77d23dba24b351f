// 「紙の回答を入力」: a paper household's answer slip copied into the app by its 班長 or a leader (PUT
// /api/circulars/{id}/answers/{householdId}/paper). The questions as large, plain controls: 出欠 and one choice as
// big radio buttons (出席 with its 人数), several choices as check boxes, a number, a short text. What the server
// finds wrong is shown under each question; the focus goes to the first.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../../../api";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { HelpAndError, RequiredMark, SegmentedRadios, SelectField, TextAreaField, TextField } from "../../staff/fields";
import { st } from "../../staff/i18n";
import {
  PEOPLE,
  questionHeading,
  wholeNumber,
  type AnswerValue,
  type AnswerValues,
  type Question,
} from "../../staff/questions";
import { lt } from "../i18n";

/** One question as the form holds it, whatever its kind. */
interface Entry {
  choice: string;
  people: string;
  choices: string[];
  number: string;
  text: string;
}
const EMPTY: Entry = { choice: "", people: "", choices: [], number: "", text: "" };

/** The entries as the API takes them (questions left blank are left out), or the questions typed wrong. */
function toAnswers(questions: Question[], entries: Record<string, Entry>) {
  const answers: AnswerValues = {};
  const problems: Record<string, string> = {};
  for (const q of questions) {
    const e = entries[q.id] ?? EMPTY;
    let value: AnswerValue | null = null;
    if (q.kind === "attendance" && e.choice)
      value =
        e.choice === "attend" ? { choice: e.choice, people: e.people ? Number(e.people) : null } : { choice: e.choice };
    else if (q.kind === "single" && e.choice) value = { choice: e.choice };
    else if (q.kind === "multiple" && e.choices.length) value = { choices: e.choices };
    else if (q.kind === "text" && e.text.trim()) value = { text: e.text.trim() };
    else if (q.kind === "number") {
      const n = wholeNumber(e.number);
      if (Number.isNaN(n)) problems[q.id] = st("staff.q.wholeNumber");
      else if (n !== null) value = { number: n };
    }
    if (value) answers[q.id] = value;
  }
  return { answers, problems };
}

function Control({
  q,
  id,
  entry,
  change,
}: {
  q: Question;
  id: string;
  entry: Entry;
  change: (patch: Partial<Entry>) => void;
}) {
  switch (q.kind) {
    case "attendance":
    case "single":
      return (
        <>
          <SegmentedRadios
            id={id}
            name={id}
            value={entry.choice}
            onChange={(choice) => change({ choice })}
            options={q.options.map((o) => ({ value: o.id, label: o.label }))}
          />
          {q.kind === "attendance" && entry.choice === "attend" && (
            <SelectField
              id={`${id}-people`}
              label={lt("leader.answers.people")}
              value={entry.people}
              onChange={(people) => change({ people })}
              options={[
                { value: "", label: lt("leader.answers.peopleChoose") },
                ...Array.from({ length: PEOPLE.max - PEOPLE.min + 1 }, (_, i) => ({
                  value: String(PEOPLE.min + i),
                  label: lt("leader.answers.peopleN", { n: PEOPLE.min + i }),
                })),
              ]}
            />
          )}
        </>
      );
    case "multiple":
      return (
        <ul class="choice-list">
          {q.options.map((o, k) => (
            <li key={o.id}>
              <label class="choice">
                <input
                  type="checkbox"
                  id={k === 0 ? id : undefined}
                  checked={entry.choices.includes(o.id)}
                  onChange={(ev) => {
                    const on = (ev.target as HTMLInputElement).checked;
                    const chosen = on ? [...entry.choices, o.id] : entry.choices.filter((c) => c !== o.id);
                    change({ choices: q.options.map((x) => x.id).filter((x) => chosen.includes(x)) });
                  }}
                />
                {o.label}
              </label>
            </li>
          ))}
        </ul>
      );
    case "number":
      return (
        <TextField
          id={id}
          label={lt("leader.answers.number")}
          value={entry.number}
          onInput={(number) => change({ number })}
          inputMode="numeric"
          maxLength={11}
          beside={q.unit || undefined}
        />
      );
    case "text":
      return (
        <TextAreaField
          id={id}
          label={lt("leader.answers.text")}
          value={entry.text}
          onInput={(text) => change({ text })}
          maxLength={200}
          rows={3}
        />
      );
  }
}

/** The dialog for one household; `household` null: closed. `onSaved` runs after the answer is recorded. */
export function PaperAnswerDialog({
  circularId,
  questions,
  household,
  onClose,
  onSaved,
}: {
  circularId: string;
  questions: Question[];
  household: { id: string; label: string } | null;
  onClose: () => void;
  onSaved: (label: string) => Promise<void>;
}) {
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idOf = (q: Question) => `paper-${q.id}`;

  // A fresh form for each household.
  useEffect(() => {
    setEntries({});
    setProblems({});
    setSummary(null);
  }, [household?.id]);

  function showProblems(found: Record<string, string>, message: string) {
    setProblems(found);
    setSummary(message);
    const first = questions.find((q) => found[q.id]);
    setTimeout(() => document.getElementById(first ? idOf(first) : "paper-summary")?.focus(), 0);
  }

  async function save() {
    if (!household || busy) return;
    const { answers, problems: typed } = toAnswers(questions, entries);
    if (Object.keys(typed).length) return showProblems(typed, st("staff.form.checkFields"));
    setBusy(true);
    try {
      await api(`/api/circulars/${encodeURIComponent(circularId)}/answers/${encodeURIComponent(household.id)}/paper`, {
        method: "PUT",
        json: { answers },
      });
      await onSaved(household.label);
    } catch (e) {
      const found: Record<string, string> = {};
      if (e instanceof ApiError)
        for (const f of e.fields) {
          const qid = f.path.split(".")[1];
          if (qid) found[qid] ??= e.fieldMessage(f.path) ?? "";
        }
      showProblems(found, Object.keys(found).length ? st("staff.form.checkFields") : messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open={!!household}
      title={household ? lt("leader.answers.paperTitle", { label: household.label }) : ""}
      confirmLabel={lt("leader.answers.paperSave")}
      busyLabel={lt("leader.answers.paperSaving")}
      busy={busy}
      describe={false}
      onConfirm={save}
      onClose={onClose}
    >
      <p class="muted">{lt("leader.answers.paperHelp")}</p>
      {summary && (
        <p class="notice error" id="paper-summary" tabIndex={-1} role="alert">
          {summary}
        </p>
      )}
      {questions.map((q, i) => {
        const id = idOf(q);
        const entry = entries[q.id] ?? EMPTY;
        return (
          <fieldset
            key={q.id}
            class="field paper-question"
            aria-describedby={problems[q.id] ? `${id}-q-error` : undefined}
          >
            <legend>
              {questionHeading(q, i)}
              {q.required && <RequiredMark />}
            </legend>
            <Control
              q={q}
              id={id}
              entry={entry}
              change={(patch) => setEntries((all) => ({ ...all, [q.id]: { ...(all[q.id] ?? EMPTY), ...patch } }))}
            />
            <HelpAndError id={`${id}-q`} error={problems[q.id]} />
          </fieldset>
        );
      })}
    </ConfirmDialog>
  );
}
