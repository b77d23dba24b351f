import { useState } from "preact/hooks";
import { api, type Attachment } from "../../../api";
import { formatSize } from "../../../format";
import { messageFor } from "../errors";
import { HelpAndError } from "../fields";
import { lt } from "../i18n";
import { uploadAttachment } from "../leader-api";

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 5;
const TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

/**
 * Photos and PDFs of the paper notice. A file belongs to a saved draft, so choosing one first saves the draft
 * (`ensureSaved`), then uploads with a progress bar. The server checks the type by the bytes and the size again.
 */
export function AttachmentsField({
  id,
  attachments,
  onChange,
  ensureSaved,
}: {
  id: string;
  attachments: Attachment[];
  onChange: (next: Attachment[]) => void;
  ensureSaved: () => Promise<string | null>;
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
    if (attachments.length + files.length > MAX_FILES) return setError(lt("leader.attach.tooMany", { n: MAX_FILES }));
    const wrong = files.find((f) => f.type && !TYPES.includes(f.type));
    if (wrong) return setError(lt("leader.attach.wrongType", { name: wrong.name }));
    const large = files.find((f) => f.size > MAX_BYTES);
    if (large) return setError(lt("leader.attach.tooLarge", { name: large.name }));
    const circularId = await ensureSaved();
    if (!circularId) return setError(lt("leader.attach.saveFirst"));
    let list = attachments;
    for (const file of files) {
      setUpload({ name: file.name, share: 0 });
      try {
        const added = await uploadAttachment(circularId, file, (share) => setUpload({ name: file.name, share }));
        list = [...list, added];
        onChange(list);
        setDone(lt("leader.attach.done", { name: added.fileName }));
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
      await api(`/api/attachments/${encodeURIComponent(a.id)}`, { method: "DELETE" });
      onChange(attachments.filter((x) => x.id !== a.id));
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setRemoving(null);
    }
  }

  const percent = upload ? Math.round(upload.share * 100) : 0;
  return (
    <div class="field attachments-field">
      <label for={id}>{lt("leader.attach.label")}</label>
      <input
        id={id}
        type="file"
        class="file-input"
        accept={TYPES.join(",")}
        multiple
        onChange={choose}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? "true" : undefined}
      />
      <HelpAndError id={id} help={lt("leader.attach.help", { n: MAX_FILES })} error={error} />
      {upload && (
        <div class="upload-progress">
          <label for={`${id}-progress`}>{lt("leader.attach.uploading", { name: upload.name, percent })}</label>
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
                {a.fileName} <span class="muted">{lt("leader.attach.size", { size: formatSize(a.size) })}</span>
              </span>
              <button
                type="button"
                class="btn danger"
                onClick={() => remove(a)}
                aria-label={lt("leader.attach.remove", { name: a.fileName })}
                aria-disabled={removing === a.id ? "true" : undefined}
              >
                {lt("leader.attach.removeShort")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
