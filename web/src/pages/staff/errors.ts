// Turning a failed request into words a leader can act on, and showing a form's errors next to its fields.
import { useRef, useState } from "preact/hooks";
import { ApiError, OfflineError } from "../../api";
import { me } from "../../session";
import { st } from "./i18n";

/** The message to show for a failed request. A 401 means the session ended: the sign-in page takes over. */
export function messageFor(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401) {
      me.value = null;
      localStorage.removeItem("kairan.me");
    }
    return e.display;
  }
  if (e instanceof OfflineError) return st("staff.error.offline");
  return st("staff.error.unknown");
}

export interface FormErrors {
  /** The sentence at the top of the form (role="alert"). */
  summary: string | null;
  /** Field name -> what to fix, shown under that field. */
  fields: Record<string, string>;
}

const NONE: FormErrors = { summary: null, fields: {} };

/**
 * A form's errors. Field elements are found by id `${formId}-${field}`; after showing errors, focus moves to the
 * first invalid field in `order` (or to the summary when no field is named), as the design system asks. A field that
 * is a list (「質問」) has its items' errors as `<field>.<i>` too, and focus goes to its first invalid item, the element
 * `${formId}-${field}-${i}`.
 */
export function useFormErrors(formId: string, order: string[]) {
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  function show(next: FormErrors) {
    setErrors(next);
    setTimeout(() => {
      const first = order.find((f) => next.fields[f]);
      const item = first
        ? Object.keys(next.fields)
            .map((k) => (k.startsWith(`${first}.`) ? Number(k.slice(first.length + 1)) : Number.NaN))
            .filter(Number.isInteger)
            .sort((a, b) => a - b)[0]
        : undefined;
      const el = !first
        ? summaryRef.current
        : ((item === undefined ? null : document.getElementById(`${formId}-${first}-${item}`)) ??
          document.getElementById(`${formId}-${first}`));
      el?.focus();
    }, 0);
  }

  /** Shows a failed request: the server's message on top, its field messages under the fields (and list items). */
  function showError(e: unknown) {
    const fields: Record<string, string> = {};
    if (e instanceof ApiError)
      for (const f of e.fields) {
        const [name = "", index] = f.path.split(".");
        const message = e.fieldMessage(f.path) ?? "";
        fields[name] ??= message;
        if (index !== undefined && /^\d+$/.test(index)) fields[`${name}.${index}`] ??= message;
      }
    show({ summary: messageFor(e), fields });
  }

  return {
    errors,
    show,
    showError,
    clear: () => setErrors(NONE),
    fieldId: (field: string) => `${formId}-${field}`,
    summaryRef,
  };
}
