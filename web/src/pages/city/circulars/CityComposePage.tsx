// Writing a city circular: /city/circulars/new, then /city/circulars/<id>/edit once saved as a draft. 「配布する」
// asks first, saying how many associations it goes to.
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, type Attachment } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatTime } from "../../../format";
import { AttachmentsField } from "../../leader/compose/AttachmentsField";
import { ConfirmDialog } from "../../leader/ConfirmDialog";
import { dateInputValue, todayInJapan } from "../../leader/dates";
import { messageFor, useFormErrors } from "../../leader/errors";
import { FormSummary, RadioGroup, TextAreaField, TextField } from "../../leader/fields";
import { setFlash } from "../../leader/flash";
import { lt } from "../../leader/i18n";
import { uploadCityAttachment, type Areas, type CityCircular, type Priority, type Published } from "../city-api";
import { CityLayout } from "../CityLayout";
import { count } from "../format";
import { ct } from "../i18n";
import { associationIds, loadAreas, targetNames, targetText } from "./targets";
import { TargetPicker, toTarget, type TargetForm } from "./TargetPicker";

interface Form {
  title: string;
  body: string;
  priority: Priority;
  /** YYYY-MM-DD (a day in Japan) or "" for none. */
  dueDate: string;
  target: TargetForm;
}

const EMPTY: Form = { title: "", body: "", priority: "normal", dueDate: "", target: { scope: "city", ids: [] } };
const FIELD_ORDER = ["title", "body", "target", "priority", "dueAt", "file"];

function formOf(c: CityCircular): Form {
  return {
    title: c.title,
    body: c.body,
    priority: c.priority,
    dueDate: dateInputValue(c.dueAt),
    target: c.target.scope === "city" ? { scope: "city", ids: [] } : { scope: c.target.scope, ids: [...c.target.ids] },
  };
}

function payloadOf(f: Form) {
  // A plain date: the server reads it as the end of that day in Japan.
  return { title: f.title.trim(), body: f.body, priority: f.priority, dueAt: f.dueDate || null, target: toTarget(f.target) };
}

function check(f: Form, publishing: boolean): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!f.title.trim()) fields.title = ct("city.compose.titleMissing");
  if (!f.body.trim()) fields.body = ct("city.compose.bodyMissing");
  if (f.target.scope !== "city" && f.target.ids.length === 0) fields.target = ct("city.compose.targetMissing");
  if (f.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate)) fields.dueAt = ct("city.compose.dueInvalid");
  else if (publishing && f.dueDate && f.dueDate < todayInJapan()) fields.dueAt = ct("city.compose.duePast");
  return fields;
}

type Busy = null | "save" | "publish" | "delete";

export function CityComposePage({ id }: { id?: string }) {
  const { route } = useLocation();
  const [form, setForm] = useState<Form>(EMPTY);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [areas, setAreas] = useState<Areas | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [confirm, setConfirm] = useState<{ n: number; target: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const savedId = useRef<string | null>(id ?? null);
  const errors = useFormErrors("city-compose", FIELD_ORDER);
  const fid = errors.fieldId;

  async function load() {
    setLoadError(null);
    try {
      const [a, c] = await Promise.all([loadAreas(), id ? api<CityCircular>(`/api/city/circulars/${encodeURIComponent(id)}`) : Promise.resolve(null)]);
      setAreas(a);
      if (c && c.status !== "draft") return route(`/city/circulars/${encodeURIComponent(c.id)}`, true);
      if (c) {
        setForm(formOf(c));
        setAttachments(c.attachments);
        savedId.current = c.id;
      }
      setLoaded(true);
    } catch (e) {
      setLoadError(messageFor(e));
    }
  }
  // The address changes from /new to the draft's own once saved; that is no reason to load it again.
  useEffect(() => {
    if (!areas || (id && id !== savedId.current)) void load();
  }, [id]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  const change = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  async function ensureSaved(publishing = false): Promise<string | null> {
    const fields = check(form, publishing);
    if (Object.keys(fields).length) {
      errors.show({ summary: lt("leader.form.checkFields"), fields });
      return null;
    }
    if (savedId.current && !dirty) return savedId.current;
    try {
      const path = savedId.current ? `/api/city/circulars/${encodeURIComponent(savedId.current)}` : "/api/city/circulars";
      const c = await api<CityCircular>(path, { method: savedId.current ? "PATCH" : "POST", json: payloadOf(form) });
      const isNew = !savedId.current;
      savedId.current = c.id;
      setAttachments(c.attachments);
      setDirty(false);
      setSavedAt(new Date());
      errors.clear();
      if (isNew) route(`/city/circulars/${encodeURIComponent(c.id)}/edit`, true);
      return c.id;
    } catch (e) {
      errors.showError(e);
      return null;
    }
  }

  async function run(kind: Busy, task: () => Promise<void>) {
    if (busy) return;
    setBusy(kind);
    try {
      await task();
    } finally {
      setBusy(null);
    }
  }

  const save = (e?: Event) => {
    e?.preventDefault();
    return run("save", async () => void (await ensureSaved()));
  };

  const askPublish = () =>
    run("publish", async () => {
      const saved = await ensureSaved(true);
      if (!saved || !areas) return;
      const target = toTarget(form.target);
      const n = associationIds(target, areas).length;
      if (n === 0) return errors.show({ summary: ct("city.compose.noAssociations"), fields: { target: ct("city.compose.noAssociations") } });
      setConfirm({ n, target: targetText(target, targetNames(target, areas)) });
    });

  const publish = () =>
    run("publish", async () => {
      const circularId = savedId.current;
      if (!circularId) return;
      try {
        const r = await api<Published>(`/api/city/circulars/${encodeURIComponent(circularId)}/publish`, { method: "POST" });
        setFlash(ct("city.publish.done", { n: count(r.associations)! }));
        setDirty(false);
        route(`/city/circulars/${encodeURIComponent(circularId)}`);
      } catch (err) {
        setConfirm(null);
        errors.showError(err);
      }
    });

  const deleteDraft = () =>
    run("delete", async () => {
      try {
        await api(`/api/city/circulars/${encodeURIComponent(savedId.current ?? "")}`, { method: "DELETE" });
        setFlash(ct("city.compose.deleted"));
        setDirty(false);
        route("/city/circulars");
      } catch (err) {
        setConfirmDelete(false);
        errors.showError(err);
      }
    });

  const pageTitle = savedId.current ? ct("city.compose.editTitle") : ct("city.compose.newTitle");
  return (
    <CityLayout title={pageTitle}>
      <div class="stack">
        <p class="no-print">
          <a href="/city/circulars">← {ct("city.circ.back")}</a>
        </p>
        {loadError && <ErrorNotice message={loadError} onRetry={load} />}
        {(!loaded || !areas) && !loadError && <Loading />}
        {loaded && areas && (
          <form class="stack compose narrow-form" onSubmit={save} noValidate>
            <h1>{pageTitle}</h1>
            <FormSummary message={errors.errors.summary} summaryRef={errors.summaryRef} />
            <TextField
              id={fid("title")}
              label={ct("city.compose.title")}
              value={form.title}
              onInput={(title) => change({ title })}
              required
              maxLength={120}
              help={ct("city.compose.titleHelp")}
              error={errors.errors.fields.title}
            />
            <TextAreaField
              id={fid("body")}
              label={ct("city.compose.body")}
              value={form.body}
              onInput={(body) => change({ body })}
              required
              maxLength={20000}
              rows={12}
              help={ct("city.compose.bodyHelp")}
              error={errors.errors.fields.body}
            />
            <TargetPicker value={form.target} areas={areas} onChange={(target) => change({ target })} error={errors.errors.fields.target} idPrefix="city-compose" />
            <RadioGroup<Priority>
              id={fid("priority")}
              name="priority"
              legend={ct("city.compose.priority")}
              value={form.priority}
              onChange={(priority) => change({ priority })}
              options={[
                { value: "normal", label: ct("city.priority.normal") },
                { value: "urgent", label: ct("city.priority.urgent") },
              ]}
              help={ct("city.compose.priorityHelp")}
              error={errors.errors.fields.priority}
            />
            <TextField
              id={fid("dueAt")}
              label={ct("city.compose.due")}
              type="date"
              value={form.dueDate}
              onInput={(dueDate) => change({ dueDate })}
              min={todayInJapan()}
              help={ct("city.compose.dueHelp")}
              error={errors.errors.fields.dueAt}
            />
            <AttachmentsField
              id={fid("file")}
              attachments={attachments}
              onChange={setAttachments}
              ensureSaved={() => ensureSaved()}
              upload={uploadCityAttachment}
              deleteUrl={(a) =>
                `/api/city/circulars/${encodeURIComponent(savedId.current ?? "")}/attachments/${encodeURIComponent(a.id)}`
              }
              text={(name, params) => ct(`city.attach.${name}`, params)}
            />
            <p class="muted" role="status">
              {savedAt && !dirty ? ct("city.compose.saved", { time: formatTime(savedAt) }) : ""}
            </p>
            <div class="row actions">
              <button type="submit" class="btn" aria-disabled={busy ? "true" : undefined}>
                {busy === "save" ? ct("city.compose.saving") : ct("city.compose.save")}
              </button>
              <button type="button" class="btn primary" onClick={askPublish} aria-disabled={busy ? "true" : undefined}>
                {busy === "publish" && !confirm ? ct("city.compose.checking") : ct("city.compose.publish")}
              </button>
            </div>
            {savedId.current && (
              <p>
                <button type="button" class="btn danger" onClick={() => setConfirmDelete(true)}>
                  {ct("city.compose.delete")}
                </button>
              </p>
            )}
          </form>
        )}
      </div>
      <ConfirmDialog
        open={!!confirm}
        title={ct("city.publish.title")}
        confirmLabel={ct("city.compose.publish")}
        busyLabel={ct("city.publish.publishing")}
        busy={busy === "publish"}
        onConfirm={publish}
        onClose={() => setConfirm(null)}
      >
        <p class="confirm-question">{confirm && ct("city.publish.confirm", { target: confirm.target, n: count(confirm.n)! })}</p>
        <p>{ct("city.publish.note")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmDelete}
        title={ct("city.compose.deleteTitle")}
        confirmLabel={ct("city.compose.deleteConfirm")}
        busy={busy === "delete"}
        danger
        onConfirm={deleteDraft}
        onClose={() => setConfirmDelete(false)}
      >
        <p>{ct("city.compose.deleteBody", { title: form.title })}</p>
      </ConfirmDialog>
    </CityLayout>
  );
}
