// Photos and PDFs for a city circular. A file belongs to a saved draft, so choosing one first saves the draft
// (`ensureSaved`), then uploads with a progress bar; the server checks the type by the bytes and the size again.
import { useState } from "preact/hooks";
import { api, type Attachment } from "../../../api";
import { formatSize } from "../../../format";
import { messageFor } from "../../leader/errors";
import { HelpAndError } from "../../leader/fields";
import { uploadCityAttachment } from "../city-api";
import { ct } from "../i18n";

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 5;
const TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];

export function CityAttachmentsField(p: {
  id: string;
  /** The saved draft's id (null before the first save), for removing a file. */
  circularId: string | null;
  attachments: Attachment[];
  onChange: (next: Attachment[]) => void;
  ensureSaved: () => Promise<string | null>;
}) {
  const [upload, setUpload] = useState<{ name: string; share: number } | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  async function remove(a: Attachment) {
    if (removing || !p.circularId) return;
    setRemoving(a.id);
    setError(undefined);
    try {
      await api(`/api/city/circulars/${encodeURIComponent(p.circularId)}/attachments/${encodeURIComponent(a.id)}`, { method: "DELETE" });
      p.onChange(p.attachments.filter((x) => x.id !== a.id));
      setDone(ct("city.attach.removed", { name: a.fileName }));
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setRemoving(null);
    }
  }

  async function choose(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    if (files.length === 0 || upload) return;
    setError(undefined);
    setDone(null);
    if (p.attachments.length + files.length > MAX_FILES) return setError(ct("city.attach.tooMany", { n: MAX_FILES }));
    const wrong = files.find((f) => f.type && !TYPES.includes(f.type));
    if (wrong) return setError(ct("city.attach.wrongType", { name: wrong.name }));
    const large = files.find((f) => f.size > MAX_BYTES);
    if (large) return setError(ct("city.attach.tooLarge", { name: large.name }));
    const circularId = await p.ensureSaved();
    if (!circularId) return setError(ct("city.attach.saveFirst"));
    let list = p.attachments;
    for (const file of files) {
      setUpload({ name: file.name, share: 0 });
      try {
        const added = await uploadCityAttachment(circularId, file, (share) => setUpload({ name: file.name, share }));
        list = [...list, added];
        p.onChange(list);
        setDone(ct("city.attach.done", { name: added.fileName }));
      } catch (err) {
        setError(`${file.name}: ${messageFor(err)}`);
        break;
      }
    }
    setUpload(null);
  }

  const percent = upload ? Math.round(upload.share * 100) : 0;
  return (
    <div class="field attachments-field">
      <label for={p.id}>{ct("city.attach.label")}</label>
      <input
        id={p.id}
        type="file"
        class="file-input"
        accept={TYPES.join(",")}
        multiple
        onChange={choose}
        aria-describedby={`${p.id}-help${error ? ` ${p.id}-error` : ""}`}
        aria-invalid={error ? "true" : undefined}
      />
      <HelpAndError id={p.id} help={ct("city.attach.help", { n: MAX_FILES })} error={error} />
      {upload && (
        <div class="upload-progress">
          <label for={`${p.id}-progress`}>{ct("city.attach.uploading", { name: upload.name, percent })}</label>
          <progress id={`${p.id}-progress`} max={100} value={percent}>
            {percent}%
          </progress>
        </div>
      )}
      <p class="visually-hidden" role="status">
        {done}
      </p>
      {p.attachments.length > 0 && (
        <ul class="attached-list">
          {p.attachments.map((a) => (
            <li key={a.id}>
              {a.contentType.startsWith("image/") ? (
                <img src={a.url} alt="" class="attached-thumb" />
              ) : (
                <span class="attached-icon" aria-hidden="true">
                  PDF
                </span>
              )}
              <span class="attached-name">
                {a.fileName} <span class="muted">（{formatSize(a.size)}）</span>
              </span>
              <button
                type="button"
                class="btn danger"
                onClick={() => remove(a)}
                aria-label={ct("city.attach.remove", { name: a.fileName })}
                aria-disabled={removing === a.id ? "true" : undefined}
              >
                {ct("city.attach.removeShort")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
