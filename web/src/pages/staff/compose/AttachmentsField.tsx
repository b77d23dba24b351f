import { useState } from "preact/hooks";
import { api, type Attachment } from "../../../api";
import { formatSize } from "../../../format";
import { messageFor } from "../errors";
import { HelpAndError } from "../fields";
import { st } from "../i18n";

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 5;
const TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

/** The strings the field shows, by the last part of their key ("leader.attach.<name>", "city.attach.<name>"). */
export type AttachText = (
  name:
    | "label"
    | "help"
    | "uploading"
    | "done"
    | "size"
    | "remove"
    | "removeShort"
    | "removed"
    | "tooMany"
    | "wrongType"
    | "tooLarge"
    | "saveFirst",
  params?: Record<string, string | number>,
) => string;

/**
 * Photos and PDFs of the paper notice. The browser's own file input speaks the browser's language (「Choose Files」
 * in an English one): it is hidden from sight but kept for keyboards and screen readers, and chosen through a label
 * of ours drawn as a button, 「ファイルを選ぶ」. A file belongs to a saved draft, so choosing one first saves the
 * draft (`ensureSaved`), then uploads with a progress bar. The server checks the type by the bytes and the size
 * again. Each compose screen (a leader's, the city's) passes its own upload, delete address and strings.
 */
export function AttachmentsField({
  id,
  attachments,
  onChange,
  ensureSaved,
  upload: send,
  deleteUrl,
  text,
}: {
  id: string;
  attachments: Attachment[];
  onChange: (next: Attachment[]) => void;
  ensureSaved: () => Promise<string | null>;
  upload: (circularId: string, file: File, onProgress: (share: number) => void) => Promise<Attachment>;
  deleteUrl: (a: Attachment) => string;
  text: AttachText;
}) {
  const [upload, setUpload] = useState<{ name: string; share: number } | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [removing, setRemoving] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function choose(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    if (files.length === 0 || upload) return;
    setError(undefined);
    setDone(null);
    if (attachments.length + files.length > MAX_FILES) return setError(text("tooMany", { n: MAX_FILES }));
    const wrong = files.find((f) => f.type && !TYPES.includes(f.type));
    if (wrong) return setError(text("wrongType", { name: wrong.name }));
    const large = files.find((f) => f.size > MAX_BYTES);
    if (large) return setError(text("tooLarge", { name: large.name }));
    const circularId = await ensureSaved();
    if (!circularId) return setError(text("saveFirst"));
    let list = attachments;
    for (const file of files) {
      setUpload({ name: file.name, share: 0 });
      try {
        const added = await send(circularId, file, (share) => setUpload({ name: file.name, share }));
        list = [...list, added];
        onChange(list);
        setDone(text("done", { name: added.fileName }));
      } catch (err) {
        setError(`${file.name}: ${messageFor(err)}`);
        break;
      }
    }
    setUpload(null);
  }

  async function remove(a: Attachment) {
    if (removing) return;
    setRemoving(a.id);
    setError(undefined);
    try {
      await api(deleteUrl(a), { method: "DELETE" });
      onChange(attachments.filter((x) => x.id !== a.id));
      setDone(text("removed", { name: a.fileName }));
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setRemoving(null);
    }
  }

  const percent = upload ? Math.round(upload.share * 100) : 0;
  return (
    <div class="field attachments-field">
      <label for={id}>{text("label")}</label>
      <input
        id={id}
        type="file"
        class="file-input visually-hidden"
        accept={TYPES.join(",")}
        multiple
        onChange={choose}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? "true" : undefined}
      />
      <label for={id} class="btn file-button">
        {st("staff.file.choose")}
      </label>
      <HelpAndError id={id} help={text("help", { n: MAX_FILES })} error={error} />
      {upload && (
        <div class="upload-progress">
          <label for={`${id}-progress`}>{text("uploading", { name: upload.name, percent })}</label>
          <progress id={`${id}-progress`} max={100} value={percent}>
            {percent}%
          </progress>
        </div>
      )}
      <p class="visually-hidden" role="status">
        {done}
      </p>
      {attachments.length > 0 && (
        <ul class="attached-list">
          {attachments.map((a) => (
            <li key={a.id}>
              {a.contentType.startsWith("image/") ? (
                <img src={a.url} alt="" class="attached-thumb" />
              ) : (
                <span class="attached-icon" aria-hidden="true">
                  PDF
                </span>
              )}
              <span class="attached-name">
                {a.fileName} <span class="muted">{text("size", { size: formatSize(a.size) })}</span>
              </span>
              <button
                type="button"
                class="btn danger"
                onClick={() => remove(a)}
                aria-label={text("remove", { name: a.fileName })}
                aria-disabled={removing === a.id ? "true" : undefined}
              >
                {text("removeShort")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
