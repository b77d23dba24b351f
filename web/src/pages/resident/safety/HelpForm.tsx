// 「助けが必要です」: what is needed (big toggle tiles, several allowed, chosen shown by a ✓ and a filled tile, not by
// colour alone), an optional short note and 「いま一緒にいる人数」, then 「送る」. Nothing here is required and nothing
// stops the send: a person in trouble is never held back by a check. What cannot be read as a number of people is
// left out; an over-long note is cut to what the server takes.
import { useEffect, useRef, useState } from "preact/hooks";
import { TEXT_MAX, textLength, wholeNumber } from "../../../../../server/features/answers/answer-rules";
import {
  SAFETY_NEEDS,
  SAFETY_PEOPLE,
  type SafetyAnswer,
  type SafetyNeed,
} from "../../../../../server/features/safety/safety-questions";
import { t } from "../../../i18n";

export interface HelpDetails {
  needs: SafetyNeed[];
  note: string;
  people: number | null;
}

export interface HelpFormProps {
  /** Ids in the page are made from it (a household may have two checks open: the city's and its own). */
  checkId: string;
  /** The household's earlier 「助けが必要です」, when changing it. */
  initial: SafetyAnswer | null;
  busy: boolean;
  onSubmit(details: HelpDetails): void;
  onCancel(): void;
}

/** The number of people as typed (全角 too), kept in range; null when it is empty or not a number. */
export function peopleOf(text: string): number | null {
  const n = wholeNumber(text);
  if (n === null || Number.isNaN(n)) return null;
  return Math.min(SAFETY_PEOPLE.max, Math.max(SAFETY_PEOPLE.min, n));
}

export function HelpForm({ checkId, initial, busy, onSubmit, onCancel }: HelpFormProps) {
  const [needs, setNeeds] = useState<SafetyNeed[]>(initial?.needs ?? []);
  const [note, setNote] = useState(initial?.note ?? "");
  const [people, setPeople] = useState(initial?.people ? String(initial.people) : "");
  const head = useRef<HTMLHeadingElement>(null);
  const id = (part: string) => `safety-${checkId}-${part}`;
  // The form replaces the two buttons: focus (and the screen reader) goes to its heading.
  useEffect(() => head.current?.focus(), []);

  const toggle = (n: SafetyNeed) =>
    setNeeds((all) =>
      all.includes(n) ? all.filter((x) => x !== n) : SAFETY_NEEDS.filter((x) => x === n || all.includes(x)),
    );
  const step = (by: number) => {
    const n = peopleOf(people);
    setPeople(
      String(n === null ? SAFETY_PEOPLE.min : Math.min(SAFETY_PEOPLE.max, Math.max(SAFETY_PEOPLE.min, n + by))),
    );
  };

  function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    onSubmit({ needs, note: [...note.trim()].slice(0, TEXT_MAX).join(""), people: peopleOf(people) });
  }

  return (
    <form class="stack safety-form" noValidate onSubmit={submit} aria-labelledby={id("form-h")}>
      <h3 id={id("form-h")} tabIndex={-1} ref={head}>
        {t("safety.formTitle")}
      </h3>
      <p>{t("safety.formLead")}</p>
      <fieldset class="safety-needs" aria-describedby={id("needs-help")}>
        <legend>{t("safety.needs")}</legend>
        <p class="help" id={id("needs-help")}>
          {t("safety.needsHelp")}
        </p>
        <div class="safety-tiles">
          {SAFETY_NEEDS.map((n) => {
            const on = needs.includes(n);
            return (
              <label key={n} class={on ? "safety-tile checked" : "safety-tile"}>
                <input type="checkbox" name="needs" value={n} checked={on} onChange={() => toggle(n)} />
                <span class="safety-tile-mark" aria-hidden="true">
                  {on ? "✓" : ""}
                </span>
                <span>{t(`safety.need.${n}`)}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <div class="field">
        <label for={id("note")}>
          {t("safety.note")} <span class="badge optional">{t("safety.optional")}</span>
        </label>
        <textarea
          id={id("note")}
          rows={2}
          value={note}
          maxLength={TEXT_MAX * 2}
          onInput={(e) => setNote(e.currentTarget.value)}
          aria-describedby={id("note-count")}
        />
        <p class="help" id={id("note-count")}>
          {t("safety.noteCount", { n: Math.min(textLength(note), TEXT_MAX), max: TEXT_MAX })}
        </p>
      </div>
      <div class="field">
        <label for={id("people")}>
          {t("safety.people")} <span class="badge optional">{t("safety.optional")}</span>
        </label>
        <div class="safety-stepper">
          <button
            type="button"
            class="btn"
            onClick={() => step(-1)}
            aria-label={t("safety.peopleLess")}
            aria-controls={id("people")}
          >
            −
          </button>
          <input
            id={id("people")}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={people}
            onInput={(e) => setPeople(e.currentTarget.value)}
          />
          <span aria-hidden="true">{t("safety.peopleUnit")}</span>
          <button
            type="button"
            class="btn"
            onClick={() => step(1)}
            aria-label={t("safety.peopleMore")}
            aria-controls={id("people")}
          >
            ＋
          </button>
        </div>
      </div>
      <button type="submit" class="btn big safety-help" aria-disabled={busy}>
        {busy ? t("safety.sending") : t("safety.send")}
      </button>
      <button type="button" class="btn big" onClick={onCancel}>
        {t("safety.cancel")}
      </button>
    </form>
  );
}
