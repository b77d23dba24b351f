// 「安否確認を始める」's form: the message residents read (prefilled), 「訓練として行う」 and the target (the city
// circulars' picker, ../circulars/TargetPicker.tsx, in the words of a safety check), then a question that says an
// urgent notification goes to every household of the target at once. Started, the check's live view opens.
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { DEFAULT_SAFETY_MESSAGE, SAFETY_MESSAGE_MAX } from "../../../../../server/features/safety/safety-questions";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor, useFormErrors } from "../../staff/errors";
import { FormSummary, TextAreaField } from "../../staff/fields";
import { setFlash } from "../../staff/flash";
import { SAFETY_URL, type Areas, type SafetyLive } from "../city-api";
import { count } from "../format";
import { ct } from "../i18n";
import { associationIds, loadAreas, targetNames, targetText } from "../circulars/targets";
import { TargetPicker, toTarget, type TargetForm } from "../circulars/TargetPicker";

const FORM_ID = "safety-start";
const FIELD_ORDER = ["message", "target"];

export function SafetyStartForm({ onCancel }: { onCancel: () => void }) {
  const { route } = useLocation();
  const [areas, setAreas] = useState<Areas | null>(null);
  const [areasError, setAreasError] = useState<string | null>(null);
  const [message, setMessage] = useState(DEFAULT_SAFETY_MESSAGE);
  const [drill, setDrill] = useState(false);
  const [target, setTarget] = useState<TargetForm>({ scope: "city", ids: [] });
  const [question, setQuestion] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { errors, show, showError, clear, fieldId, summaryRef } = useFormErrors(FORM_ID, FIELD_ORDER);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const fetchAreas = () => {
    setAreasError(null);
    loadAreas().then(setAreas, (e: unknown) => setAreasError(messageFor(e)));
  };
  useEffect(() => {
    fetchAreas();
    // The form opened from the button above: reading goes on from its heading.
    headingRef.current?.focus();
  }, []);

  function check(e: Event) {
    e.preventDefault();
    if (!areas) return;
    const fields: Record<string, string> = {};
    let summary: string | null = null;
    if (!message.trim()) fields.message = ct("city.safety.form.messageMissing");
    const reached = associationIds(toTarget(target), areas).length;
    if (target.scope !== "city" && target.ids.length === 0) fields.target = ct("city.safety.form.targetMissing");
    else if (reached === 0 && target.scope !== "city") fields.target = ct("city.safety.form.noAssociations");
    // The whole city has no list to show the error under: it goes on top.
    else if (reached === 0) summary = ct("city.safety.form.noAssociations");
    if (summary || Object.keys(fields).length) return show({ summary, fields });
    clear();
    const chosen = toTarget(target);
    setQuestion(
      ct("city.safety.confirm.body", { target: targetText(chosen, targetNames(chosen, areas)), n: count(reached)! }),
    );
  }

  async function start() {
    if (busy) return;
    setBusy(true);
    try {
      const live = await api<SafetyLive>(SAFETY_URL, {
        method: "POST",
        json: { message: message.trim(), drill, target: toTarget(target) },
      });
      setFlash(ct("city.safety.startedFlash", { n: count(live.total.associations)! }));
      route(`/city/safety/${encodeURIComponent(live.check.id)}`);
    } catch (err) {
      setQuestion(null);
      showError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="safety-start">
      <section class="stack start-box" aria-labelledby={`${FORM_ID}-h`}>
        <h2 id={`${FORM_ID}-h`} ref={headingRef} tabIndex={-1}>
          {ct("city.safety.start")}
        </h2>
        <p>{ct("city.safety.form.lead")}</p>
        {areasError && <ErrorNotice message={areasError} onRetry={fetchAreas} />}
        {!areas && !areasError && <Loading />}
        {areas && (
          <form class="stack narrow-form" id={FORM_ID} onSubmit={check} noValidate>
            <FormSummary message={errors.summary} summaryRef={summaryRef} />
            <TextAreaField
              id={fieldId("message")}
              label={ct("city.safety.form.message")}
              value={message}
              onInput={setMessage}
              rows={3}
              maxLength={SAFETY_MESSAGE_MAX}
              required
              help={ct("city.safety.form.messageHelp")}
              error={errors.fields.message}
            />
            <div class="field">
              <label class="choice">
                <input
                  type="checkbox"
                  id={fieldId("drill")}
                  checked={drill}
                  onChange={(e) => setDrill((e.target as HTMLInputElement).checked)}
                  aria-describedby={`${fieldId("drill")}-help`}
                />
                {ct("city.safety.form.drill")}
              </label>
              <p class="help" id={`${fieldId("drill")}-help`}>
                {ct("city.safety.form.drillHelp")}
              </p>
            </div>
            <TargetPicker
              value={target}
              areas={areas}
              onChange={setTarget}
              error={errors.fields.target}
              idPrefix={FORM_ID}
              words="city.safety.target"
            />
            <p class="row">
              <button type="submit" class="btn primary danger">
                {ct("city.safety.start")}
              </button>
              <button type="button" class="btn" onClick={onCancel}>
                {ct("city.safety.form.cancel")}
              </button>
            </p>
          </form>
        )}
      </section>
      <ConfirmDialog
        open={question !== null}
        title={ct("city.safety.confirm.title")}
        confirmLabel={ct("city.safety.confirm.ok")}
        busyLabel={ct("city.safety.confirm.busy")}
        busy={busy}
        danger
        onConfirm={start}
        onClose={() => setQuestion(null)}
      >
        <p>{question}</p>
        {drill && (
          <p>
            <strong class="badge drill">{ct("city.safety.drill")}</strong>
            {ct("city.safety.confirm.drill")}
          </p>
        )}
        <p>{ct("city.safety.confirm.message", { message: message.trim() })}</p>
      </ConfirmDialog>
    </div>
  );
}
