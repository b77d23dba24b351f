import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, type Attachment } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatTime } from "../../../format";
import { ConfirmDialog } from "../ConfirmDialog";
import { todayInJapan } from "../dates";
import { messageFor, useFormErrors } from "../errors";
import { FormSummary, RadioGroup, TextAreaField, TextField } from "../fields";
import { setFlash } from "../flash";
import { lt } from "../i18n";
import type { Block, Circular, Priority } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { AttachmentsField } from "./AttachmentsField";
import { AudiencePicker } from "./AudiencePicker";
import { audienceOf, checkDraft, EMPTY_DRAFT, FIELD_ORDER, formFromCircular, payloadOf, type DraftForm } from "./draft-form";
import { ResidentPreview } from "./ResidentPreview";

type Busy = null | "save" | "preview" | "publish" | "delete";

/**
 * Writing a circular: /leader/new, then /leader/c/<id>/edit once saved as a draft. Preview shows the saved draft as
 * residents will see it; 「配布する」 asks first, naming the blocks and the number of households.
 */
export function ComposePage({ id }: { id?: string }) {
  const { route } = useLocation();
  const [form, setForm] = useState<DraftForm>(EMPTY_DRAFT);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [blocks, setBlocks] = useState<Block[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [preview, setPreview] = useState<Circular | null>(null);
  const [confirm, setConfirm] = useState<{ names: string[]; households: number } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const savedId = useRef<string | null>(id ?? null);
  const errors = useFormErrors("compose", FIELD_ORDER);
  const fid = errors.fieldId;

  async function load() {
    setLoadError(null);
    try {
      const [b, c] = await Promise.all([
        api<{ blocks: Block[] }>("/api/blocks"),
        id ? api<Circular>(`/api/circulars/${encodeURIComponent(id)}`) : Promise.resolve(null),
      ]);
      setBlocks(b.blocks);
      if (c && c.status !== "draft") return route(`/leader/c/${encodeURIComponent(c.id)}`, true);
      if (c) {
        setForm(formFromCircular(c));
        setAttachments(c.attachments);
        savedId.current = c.id;
      }
      setLoaded(true);
    } catch (e) {
      setLoadError(messageFor(e));
    }
  }
  // The address changes from /leader/new to the draft's own once saved; that is no reason to load it again.
  useEffect(() => {
    if (!blocks || (id && id !== savedId.current)) void load();
  }, [id]);

  // Leaving with unsaved words: the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  const change = (patch: Partial<DraftForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  /** Saves the draft when needed and answers its id, or null after showing what to fix. */
  async function ensureSaved(publishing = false): Promise<string | null> {
    const fields = checkDraft(form, publishing);
    if (Object.keys(fields).length) {
      setPreview(null);
      errors.show({ summary: lt("leader.form.checkFields"), fields });
      return null;
    }
    if (savedId.current && !dirty) return savedId.current;
    try {
      const path = savedId.current ? `/api/circulars/${encodeURIComponent(savedId.current)}` : "/api/circulars";
      const c = await api<Circular>(path, { method: savedId.current ? "PATCH" : "POST", json: payloadOf(form) });
      const isNew = !savedId.current;
      savedId.current = c.id;
      setAttachments(c.attachments);
      setDirty(false);
      setSavedAt(new Date());
      errors.clear();
      if (isNew) route(`/leader/c/${encodeURIComponent(c.id)}/edit`, true);
      return c.id;
    } catch (e) {
      setPreview(null);
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

  const showPreview = () =>
    run("preview", async () => {
      const saved = await ensureSaved();
      if (!saved) return;
      try {
        setPreview(await api<Circular>(`/api/circulars/${encodeURIComponent(saved)}`));
        setTimeout(() => document.getElementById("preview-h")?.focus(), 0);
      } catch (err) {
        errors.showError(err);
      }
    });

  const askPublish = () =>
    run("publish", async () => {
      const saved = await ensureSaved(true);
      if (!saved) return;
      try {
        // Fresh counts: a household may have been added since the page opened.
        const fresh = (await api<{ blocks: Block[] }>("/api/blocks")).blocks;
        setBlocks(fresh);
        const size = audienceOf(form, fresh);
        if (size.households === 0) {
          setPreview(null);
          return errors.show({ summary: lt("leader.compose.noHouseholds"), fields: { blockIds: lt("leader.compose.noHouseholds") } });
        }
        setConfirm(size);
      } catch (err) {
        errors.showError(err);
      }
    });

  const publish = () =>
    run("publish", async () => {
      const circularId = savedId.current;
      if (!circularId) return;
      try {
        const r = await api<{ circular: Circular; audienceSize: number }>(`/api/circulars/${encodeURIComponent(circularId)}/publish`, {
          method: "POST",
        });
        setFlash(lt("leader.publish.done", { n: r.audienceSize }));
        setDirty(false);
        route(`/leader/c/${encodeURIComponent(circularId)}`);
      } catch (err) {
        setConfirm(null);
        setPreview(null);
        errors.showError(err);
      }
    });

  const deleteDraft = () =>
    run("delete", async () => {
      try {
        await api(`/api/circulars/${encodeURIComponent(savedId.current ?? "")}`, { method: "DELETE" });
        setFlash(lt("leader.compose.deleted"));
        setDirty(false);
        route("/leader");
      } catch (err) {
        setConfirmDelete(false);
        errors.showError(err);
      }
    });

  const pageTitle = preview ? lt("leader.preview.title") : savedId.current ? lt("leader.compose.editTitle") : lt("leader.compose.newTitle");
  const publishButton = (
    <button type="button" class="btn primary" onClick={askPublish} aria-disabled={busy ? "true" : undefined}>
      {busy === "publish" && !confirm ? lt("leader.compose.checking") : lt("leader.compose.publish")}
    </button>
  );

  return (
    <LeaderLayout title={pageTitle}>
      <div class="stack">
        <p class="no-print">
          <a href="/leader">← {lt("leader.nav.backToList")}</a>
        </p>
        {loadError && <ErrorNotice message={loadError} onRetry={load} />}
        {!loaded && !loadError && <Loading />}
        {loaded && blocks && preview && (
          <section class="stack" aria-labelledby="preview-h">
            <h1 id="preview-h" tabIndex={-1}>
              {lt("leader.preview.title")}
            </h1>
            <p>{lt("leader.preview.lead")}</p>
            <ResidentPreview c={preview} />
            <div class="row actions">
              <button type="button" class="btn" onClick={() => setPreview(null)}>
                {lt("leader.preview.back")}
              </button>
              {publishButton}
            </div>
          </section>
        )}
        {loaded && blocks && !preview && (
          <form class="stack compose" onSubmit={save} noValidate>
            <h1>{pageTitle}</h1>
            <FormSummary message={errors.errors.summary} summaryRef={errors.summaryRef} />
            <TextField
              id={fid("title")}
              label={lt("leader.compose.title")}
              value={form.title}
              onInput={(title) => change({ title })}
              required
              maxLength={120}
              help={lt("leader.compose.titleHelp")}
              error={errors.errors.fields.title}
            />
            <TextAreaField
              id={fid("body")}
              label={lt("leader.compose.body")}
              value={form.body}
              onInput={(body) => change({ body })}
              required
              maxLength={20000}
              rows={12}
              help={lt("leader.compose.bodyHelp")}
              error={errors.errors.fields.body}
            />
            <AudiencePicker form={form} blocks={blocks} onChange={change} error={errors.errors.fields.blockIds} idPrefix="compose" />
            <RadioGroup<Priority>
              id={fid("priority")}
              name="priority"
              legend={lt("leader.compose.priority")}
              value={form.priority}
              onChange={(priority) => change({ priority })}
              options={[
                { value: "normal", label: lt("leader.priority.normal") },
                { value: "urgent", label: lt("leader.priority.urgent") },
              ]}
              help={lt("leader.compose.priorityHelp")}
              error={errors.errors.fields.priority}
            />
            <TextField
              id={fid("dueAt")}
              label={lt("leader.compose.due")}
              type="date"
              value={form.dueDate}
              onInput={(dueDate) => change({ dueDate })}
              min={todayInJapan()}
              help={lt("leader.compose.dueHelp")}
              error={errors.errors.fields.dueAt}
            />
            <AttachmentsField id={fid("file")} attachments={attachments} onChange={setAttachments} ensureSaved={() => ensureSaved()} />
            <p class="muted" role="status">
              {savedAt && !dirty ? lt("leader.compose.saved", { time: formatTime(savedAt) }) : ""}
            </p>
            <div class="row actions">
              <button type="submit" class="btn" aria-disabled={busy ? "true" : undefined}>
                {busy === "save" ? lt("leader.compose.saving") : lt("leader.compose.save")}
              </button>
              <button type="button" class="btn" onClick={showPreview} aria-disabled={busy ? "true" : undefined}>
                {busy === "preview" ? lt("leader.compose.saving") : lt("leader.compose.preview")}
              </button>
              {publishButton}
            </div>
            {savedId.current && (
              <p>
                <button type="button" class="btn danger" onClick={() => setConfirmDelete(true)}>
                  {lt("leader.compose.delete")}
                </button>
              </p>
            )}
          </form>
        )}
      </div>
      <ConfirmDialog
        open={!!confirm}
        title={lt("leader.publish.title")}
        confirmLabel={lt("leader.compose.publish")}
        busyLabel={lt("leader.publish.publishing")}
        busy={busy === "publish"}
        onConfirm={publish}
        onClose={() => setConfirm(null)}
      >
        <p class="confirm-question">
          {confirm &&
            (form.audience === "all"
              ? lt("leader.publish.confirmAll", { n: confirm.households })
              : lt("leader.publish.confirmBlocks", { blocks: confirm.names.join("・"), n: confirm.households }))}
        </p>
        <p>{lt("leader.publish.note")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmDelete}
        title={lt("leader.compose.deleteTitle")}
        confirmLabel={lt("leader.compose.deleteConfirm")}
        busy={busy === "delete"}
        danger
        onConfirm={deleteDraft}
        onClose={() => setConfirmDelete(false)}
      >
        <p>{lt("leader.compose.deleteBody", { title: form.title })}</p>
      </ConfirmDialog>
    </LeaderLayout>
  );
}
