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
 * first invalid field in `order` (or to the summary when no field is named), as the design system asks.
 */
export function useFormErrors(formId: string, order: string[]) {
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  function show(next: FormErrors) {
    setErrors(next);
    setTimeout(() => {
      const first = order.find((f) => next.fields[f]);
      const el = first ? document.getElementById(`${formId}-${first}`) : summaryRef.current;
      el?.focus();
    }, 0);
  }

  /** Shows a failed request: the server's message on top, its field messages under the fields. */
  function showError(e: unknown) {
    const fields: Record<string, string> = {};
    if (e instanceof ApiError)
      for (const f of e.fields) {
        const name = f.path.split(".")[0] ?? "";
        fields[name] ??= e.fieldMessage(f.path) ?? "";
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
