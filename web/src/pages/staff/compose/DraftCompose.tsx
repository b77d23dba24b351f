// The compose screen both staff chunks share: a leader's circular (/leader/new, /leader/c/<id>/edit) and the city's
// (/city/circulars/new, /city/circulars/<id>/edit). Title, body, priority, due date, the questions households answer
// (「質問を追加」), attachments, saving as a draft, deleting it and 「配布する」 with its question are the same; what
// differs comes in as props: where it goes (the audience or target picker, a slot), the addresses, the question
// before publishing, and the words.
import type { ComponentChildren, ComponentType, VNode } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, type Attachment } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatTime } from "../../../format";
import { ConfirmDialog } from "../ConfirmDialog";
import { messageFor, useFormErrors } from "../errors";
import { DateField, FormSummary, RadioGroup, TextAreaField, TextField } from "../fields";
import { setFlash } from "../flash";
import { st } from "../i18n";
import { AttachmentsField, type AttachText } from "./AttachmentsField";
import { EasyJapaneseField } from "./EasyJapaneseField";
import { FuriganaField } from "./FuriganaField";
import { QuestionsField } from "./QuestionsField";
import { todayInJapan } from "../dates";
import type { DraftBase, Priority } from "./draft-base";

/** The words of the screen, by the end of their key: each chunk has them as "<leader|city>.compose.<name>" etc. */
export type ComposeText = (
  name:
    | `compose.${
        | "newTitle"
        | "editTitle"
        | "title"
        | "titleHelp"
        | "titleMissing"
        | "body"
        | "bodyHelp"
        | "bodyMissing"
        | "priority"
        | "priorityHelp"
        | "due"
        | "dueHelp"
        | "dueInvalid"
        | "duePast"
        | "save"
        | "saving"
        | "saved"
        | "publish"
        | "checking"
        | "delete"
        | "deleteTitle"
        | "deleteBody"
        | "deleteConfirm"
        | "deleted"}`
    | `publish.${"title" | "note" | "publishing"}`
    | `priority.${Priority}`,
  params?: Record<string, string | number>,
) => string;

/** A saved draft as the API answers it (the leader's Circular, the city's CityCircular). */
export interface SavedDraft {
  id: string;
  status: "draft" | "published" | "withdrawn";
  attachments: Attachment[];
}

/** What publishing asks first: a question naming where it goes, or why it cannot go (shown on that field). */
export type PublishCheck = { question: string } | { field: string; problem: string };

/** The preview a leader gets before publishing (the city has none). */
export interface PreviewSlot<C> {
  render: (c: C) => VNode;
  /** Added to the draft's address when the preview reads it (the leader's: "?ruby=1", its ふりがな computed now). */
  query?: string;
  text: { button: string; title: string; lead: string; back: string };
}

export interface DraftComposeProps<F extends DraftBase, C extends SavedDraft, X> {
  id?: string;
  /** The form's id prefix (fields are `${formId}-${field}`) and its fields in order, for focusing the first error. */
  formId: string;
  fieldOrder: string[];
  empty: F;
  /** Drafts live at `${apiBase}/<id>`; the screens' own addresses. */
  apiBase: string;
  paths: { list: string; edit: (id: string) => string; view: (id: string) => string };
  back: { href: string; label: string };
  layout: ComponentType<{ title: string; children: ComponentChildren }>;
  /** What the picker needs (the blocks, the areas), loaded with the draft. */
  loadExtra: () => Promise<X>;
  formOf: (c: C) => F;
  payloadOf: (f: F) => unknown;
  /** What to fix before saving (with `publishing`, before publishing), by field. */
  check: (f: F, publishing: boolean) => Record<string, string>;
  /** The audience or target picker, between the body and the priority. */
  picker: (p: { form: F; extra: X; change: (patch: Partial<F>) => void; errors: Record<string, string> }) => VNode;
  /** Before the question: where it goes, counted afresh (`extra` is replaced when given). */
  checkPublish: (f: F, extra: X) => Promise<PublishCheck & { extra?: X }>;
  /** Publishes the saved draft and answers the message for the next screen. */
  publish: (id: string) => Promise<string>;
  attachments: {
    upload: (circularId: string, file: File, onProgress: (share: number) => void) => Promise<Attachment>;
    deleteUrl: (draftId: string, a: Attachment) => string;
    text: AttachText;
  };
  text: ComposeText;
  formClass?: string;
  preview?: PreviewSlot<C>;
}

type Busy = null | "save" | "preview" | "publish" | "delete";

/**
 * Writing a circular, then its draft's own address once saved (the same component, so the page stays as it is).
 * 「配布する」 saves, asks first (naming where it goes), then publishes and moves to the circular's page.
 */
export function DraftCompose<F extends DraftBase, C extends SavedDraft, X>(p: DraftComposeProps<F, C, X>) {
  const { id, text } = p;
  const { route } = useLocation();
  const [form, setForm] = useState<F>(p.empty);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [extra, setExtra] = useState<X | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [preview, setPreview] = useState<C | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const savedId = useRef<string | null>(id ?? null);
  const errors = useFormErrors(p.formId, p.fieldOrder);
  const fid = errors.fieldId;
  const draftUrl = (draftId: string) => `${p.apiBase}/${encodeURIComponent(draftId)}`;

  async function load() {
    setLoadError(null);
    try {
      const [x, c] = await Promise.all([p.loadExtra(), id ? api<C>(draftUrl(id)) : Promise.resolve(null)]);
      setExtra(() => x);
      if (c && c.status !== "draft") return route(p.paths.view(c.id), true);
      if (c) {
        setForm(p.formOf(c));
        setAttachments(c.attachments);
        savedId.current = c.id;
      }
      setLoaded(true);
    } catch (e) {
      setLoadError(messageFor(e));
    }
  }
  // The address changes from …/new to the draft's own once saved; that is no reason to load it again.
  useEffect(() => {
    if (!extra || (id && id !== savedId.current)) void load();
  }, [id]);

  // Leaving with unsaved words: the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  // The common fields' patches below are cast: TypeScript cannot see that { title } fits Partial<F> for every F that
  // extends DraftBase, though it does.
  const change = (patch: Partial<F>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  /** Saves the draft when needed and answers its id, or null after showing what to fix. */
  async function ensureSaved(publishing = false): Promise<string | null> {
    const fields = p.check(form, publishing);
    if (Object.keys(fields).length) {
      setPreview(null);
      errors.show({ summary: st("staff.form.checkFields"), fields });
      return null;
    }
    if (savedId.current && !dirty) return savedId.current;
    try {
      const c = await api<C>(savedId.current ? draftUrl(savedId.current) : p.apiBase, {
        method: savedId.current ? "PATCH" : "POST",
        json: p.payloadOf(form),
      });
      const isNew = !savedId.current;
      savedId.current = c.id;
      setAttachments(c.attachments);
      setDirty(false);
      setSavedAt(new Date());
      errors.clear();
      if (isNew) route(p.paths.edit(c.id), true);
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
        setPreview(await api<C>(`${draftUrl(saved)}${p.preview?.query ?? ""}`));
        setTimeout(() => document.getElementById("preview-h")?.focus(), 0);
      } catch (err) {
        errors.showError(err);
      }
    });

  const askPublish = () =>
    run("publish", async () => {
      const saved = await ensureSaved(true);
      if (!saved || !extra) return;
      try {
        const answer = await p.checkPublish(form, extra);
        if (answer.extra) setExtra(() => answer.extra!);
        if ("problem" in answer) {
          setPreview(null);
          return errors.show({ summary: answer.problem, fields: { [answer.field]: answer.problem } });
        }
        setConfirm(answer.question);
      } catch (err) {
        errors.showError(err);
      }
    });

  const publish = () =>
    run("publish", async () => {
      const circularId = savedId.current;
      if (!circularId) return;
      try {
        setFlash(await p.publish(circularId));
        setDirty(false);
        route(p.paths.view(circularId));
      } catch (err) {
        setConfirm(null);
        setPreview(null);
        errors.showError(err);
      }
    });

  const deleteDraft = () =>
    run("delete", async () => {
      try {
        await api(draftUrl(savedId.current ?? ""), { method: "DELETE" });
        setFlash(text("compose.deleted"));
        setDirty(false);
        route(p.paths.list);
      } catch (err) {
        setConfirmDelete(false);
        errors.showError(err);
      }
    });

  const pageTitle =
    preview && p.preview
      ? p.preview.text.title
      : savedId.current
        ? text("compose.editTitle")
        : text("compose.newTitle");
  const publishButton = (
    <button type="button" class="btn primary" onClick={askPublish} aria-disabled={busy ? "true" : undefined}>
      {busy === "publish" && !confirm ? text("compose.checking") : text("compose.publish")}
    </button>
  );
  const Layout = p.layout;

  return (
    <Layout title={pageTitle}>
      <div class="stack">
        <p class="no-print">
          <a href={p.back.href}>← {p.back.label}</a>
        </p>
        {loadError && <ErrorNotice message={loadError} onRetry={load} />}
        {(!loaded || !extra) && !loadError && <Loading />}
        {loaded && extra && preview && p.preview && (
          <section class="stack" aria-labelledby="preview-h">
            <h1 id="preview-h" tabIndex={-1}>
              {p.preview.text.title}
            </h1>
            <p>{p.preview.text.lead}</p>
            {p.preview.render(preview)}
            <div class="row actions">
              <button type="button" class="btn" onClick={() => setPreview(null)}>
                {p.preview.text.back}
              </button>
              {publishButton}
            </div>
          </section>
        )}
        {loaded && extra && !preview && (
          <form class={`stack compose${p.formClass ? ` ${p.formClass}` : ""}`} onSubmit={save} noValidate>
            <h1>{pageTitle}</h1>
            <FormSummary message={errors.errors.summary} summaryRef={errors.summaryRef} />
            <TextField
              id={fid("title")}
              label={text("compose.title")}
              value={form.title}
              onInput={(title) => change({ title } as Partial<F>)}
              required
              maxLength={120}
              help={text("compose.titleHelp")}
              error={errors.errors.fields.title}
            />
            <TextAreaField
              id={fid("body")}
              label={text("compose.body")}
              value={form.body}
              onInput={(body) => change({ body } as Partial<F>)}
              required
              maxLength={20000}
              rows={12}
              help={text("compose.bodyHelp")}
              error={errors.errors.fields.body}
            />
            <EasyJapaneseField
              id={fid("easyBody")}
              body={form.body}
              value={form.easyBody}
              onChange={(easyBody) => change({ easyBody } as Partial<F>)}
              error={errors.errors.fields.easyBody}
            />
            <FuriganaField
              id={fid("furigana")}
              ensureSaved={() => ensureSaved()}
              url={(draftId) => `${draftUrl(draftId)}/readings`}
            />
            {p.picker({ form, extra, change, errors: errors.errors.fields })}
            <RadioGroup<Priority>
              id={fid("priority")}
              name="priority"
              legend={text("compose.priority")}
              value={form.priority}
              onChange={(priority) => change({ priority } as Partial<F>)}
              options={[
                { value: "normal", label: text("priority.normal") },
                { value: "urgent", label: text("priority.urgent") },
              ]}
              help={text("compose.priorityHelp")}
              error={errors.errors.fields.priority}
            />
            <DateField
              id={fid("dueAt")}
              label={text("compose.due")}
              value={form.dueDate}
              onInput={(dueDate) => change({ dueDate } as Partial<F>)}
              min={todayInJapan()}
              help={text("compose.dueHelp")}
              error={errors.errors.fields.dueAt}
            />
            <QuestionsField
              id={fid("questions")}
              questions={form.questions}
              anonymous={form.anonymous}
              onChange={(patch) => change(patch as Partial<F>)}
              errors={errors.errors.fields}
            />
            <AttachmentsField
              id={fid("file")}
              attachments={attachments}
              onChange={setAttachments}
              ensureSaved={() => ensureSaved()}
              upload={p.attachments.upload}
              deleteUrl={(a) => p.attachments.deleteUrl(savedId.current ?? "", a)}
              text={p.attachments.text}
            />
            <p class="muted" role="status">
              {savedAt && !dirty ? text("compose.saved", { time: formatTime(savedAt) }) : ""}
            </p>
            <div class="row actions">
              <button type="submit" class="btn" aria-disabled={busy ? "true" : undefined}>
                {busy === "save" ? text("compose.saving") : text("compose.save")}
              </button>
              {p.preview && (
                <button type="button" class="btn" onClick={showPreview} aria-disabled={busy ? "true" : undefined}>
                  {busy === "preview" ? text("compose.saving") : p.preview.text.button}
                </button>
              )}
              {publishButton}
            </div>
            {savedId.current && (
              <p>
                <button type="button" class="btn danger" onClick={() => setConfirmDelete(true)}>
                  {text("compose.delete")}
                </button>
              </p>
            )}
          </form>
        )}
      </div>
      <ConfirmDialog
        open={!!confirm}
        title={text("publish.title")}
        confirmLabel={text("compose.publish")}
        busyLabel={text("publish.publishing")}
        busy={busy === "publish"}
        onConfirm={publish}
        onClose={() => setConfirm(null)}
      >
        <p class="confirm-question">{confirm}</p>
        <p>{text("publish.note")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmDelete}
        title={text("compose.deleteTitle")}
        confirmLabel={text("compose.deleteConfirm")}
        busy={busy === "delete"}
        danger
        onConfirm={deleteDraft}
        onClose={() => setConfirmDelete(false)}
      >
        <p>{text("compose.deleteBody", { title: form.title })}</p>
      </ConfirmDialog>
    </Layout>
  );
}
