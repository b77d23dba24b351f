// Form fields after the design system: the label above, the error (what to fix) right under the field, help below, and the
// input described by both. The label text is the field's whole accessible name; 「必須」 is shown beside it and
// conveyed by aria-required, so the name stays exactly 「タイトル」.
import type { ComponentChildren, Ref } from "preact";
import { formatDate } from "../../format";
import { dayInJapan } from "./dates";
import { st } from "./i18n";

function describedBy(id: string, help?: ComponentChildren, error?: string, beside?: boolean): string | undefined {
  const ids = [beside ? `${id}-beside` : "", help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function RequiredMark() {
  return (
    <span class="required-mark" aria-hidden="true">
      {st("staff.form.required")}
    </span>
  );
}

export function HelpAndError({ id, help, error }: { id: string; help?: ComponentChildren; error?: string }) {
  return (
    <>
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "email" | "password" | "date";
  help?: ComponentChildren;
  error?: string;
  required?: boolean;
  autoComplete?: string;
  maxLength?: number;
  min?: string;
  /** "numeric": a whole number, typed with the digit keyboard (the field stays text: 「１０」 from an IME is read too). */
  inputMode?: "numeric";
  inputRef?: Ref<HTMLInputElement>;
  /** Words shown beside the input (and describing it), e.g. the chosen date as residents read it. */
  beside?: ComponentChildren;
}

export function TextField(p: TextFieldProps) {
  const input = (
    <input
      id={p.id}
      ref={p.inputRef}
      // preact's types tie some attributes to particular input types; these four all take text attributes.
      type={(p.type ?? "text") as "text"}
      value={p.value}
      onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
      autocomplete={p.autoComplete}
      maxLength={p.maxLength}
      min={p.min}
      inputMode={p.inputMode}
      aria-required={p.required ? "true" : undefined}
      aria-invalid={p.error ? "true" : undefined}
      aria-describedby={describedBy(p.id, p.help, p.error, p.beside !== undefined)}
    />
  );
  return (
    <div class="field">
      <label for={p.id}>
        {p.label}
        {p.required && <RequiredMark />}
      </label>
      {p.beside === undefined ? (
        input
      ) : (
        <div class="field-row">
          {input}
          <span class="field-beside" id={`${p.id}-beside`}>
            {p.beside}
          </span>
        </div>
      )}
      <HelpAndError id={p.id} help={p.help} error={p.error} />
    </div>
  );
}

/**
 * A date field with the chosen day written beside it as residents read it (12月9日(水)), or 「未設定」. The browser
 * draws the field in its own language (an English one shows mm/dd/yyyy), so the words beside it are the app's own.
 */
export function DateField(p: Omit<TextFieldProps, "type" | "autoComplete" | "maxLength" | "beside">) {
  return <TextField {...p} type="date" beside={p.value ? formatDate(dayInJapan(p.value)) : st("staff.date.unset")} />;
}

export function TextAreaField(
  p: Omit<TextFieldProps, "type" | "autoComplete" | "min" | "inputRef" | "inputMode"> & { rows?: number },
) {
  return (
    <div class="field">
      <label for={p.id}>
        {p.label}
        {p.required && <RequiredMark />}
      </label>
      <textarea
        id={p.id}
        value={p.value}
        rows={p.rows ?? 10}
        onInput={(e) => p.onInput((e.target as HTMLTextAreaElement).value)}
        maxLength={p.maxLength}
        aria-required={p.required ? "true" : undefined}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(p.id, p.help, p.error)}
      />
      <HelpAndError id={p.id} help={p.help} error={p.error} />
    </div>
  );
}

export function SelectField(p: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  help?: ComponentChildren;
  error?: string;
}) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <select
        id={p.id}
        value={p.value}
        onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(p.id, p.help, p.error)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HelpAndError id={p.id} help={p.help} error={p.error} />
    </div>
  );
}

interface RadiosProps<T extends string> {
  /** The first radio's id (where focus goes for an error). */
  id: string;
  name: string;
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: string }[];
}

/** The radios of a RadioGroup without its fieldset, for a fieldset that holds more (a question and its 人数). */
export function SegmentedRadios<T extends string>(p: RadiosProps<T>) {
  return (
    <div class="segmented">
      {p.options.map((o, i) => (
        <label key={o.value}>
          <input
            type="radio"
            id={i === 0 ? p.id : undefined}
            name={p.name}
            value={o.value}
            checked={p.value === o.value}
            onChange={() => p.onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}

/** Radio buttons in a fieldset: one choice of a few, each label the choice's whole name (「ふつう」「急ぎ」). */
export function RadioGroup<T extends string>(
  p: RadiosProps<T> & { legend: string; help?: ComponentChildren; error?: string },
) {
  return (
    <fieldset class="field" aria-describedby={describedBy(p.id, p.help, p.error)}>
      <legend>{p.legend}</legend>
      <SegmentedRadios {...p} />
      <HelpAndError id={p.id} help={p.help} error={p.error} />
    </fieldset>
  );
}

/** The sentence on top of a form when something went wrong; focused when no single field is to blame. */
export function FormSummary({
  message,
  summaryRef,
}: {
  message: string | null;
  summaryRef: Ref<HTMLParagraphElement>;
}) {
  if (!message) return null;
  return (
    <p class="notice error" ref={summaryRef} tabIndex={-1} role="alert">
      {message}
    </p>
  );
}
