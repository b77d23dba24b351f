// On a circular the city sent: the association's own short note on top of it (PUT /api/circulars/{id}/note, at most
// 200 characters; an empty note removes it). Leaders write it; block leaders see it.
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { messageFor } from "../../staff/errors";
import { TextAreaField } from "../../staff/fields";
import { lt } from "../i18n";
import type { CircularSummary } from "../leader-api";

const MAX = 200;

export function LeaderNoteForm({
  id,
  note,
  canEdit,
  onSaved,
}: {
  id: string;
  note: string | null;
  canEdit: boolean;
  onSaved: (note: string | null) => void;
}) {
  const [text, setText] = useState(note ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState("");

  async function save(next: string) {
    if (busy) return;
    const trimmed = next.trim();
    if (trimmed.length > MAX) return setError(lt("leader.note.tooLong", { n: trimmed.length }));
    setBusy(true);
    setError(undefined);
    setStatus("");
    try {
      const c = await api<CircularSummary>(`/api/circulars/${encodeURIComponent(id)}/note`, {
        method: "PUT",
        json: { note: trimmed || null },
      });
      const saved = c.leaderNote ?? null;
      setText(saved ?? "");
      onSaved(saved);
      setStatus(saved ? lt("leader.note.saved") : lt("leader.note.removed"));
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack inline-form" aria-labelledby="note-h">
      <h2 id="note-h">{lt("leader.note.title")}</h2>
      {canEdit ? (
        <form
          class="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(text);
          }}
        >
          <p class="muted">{lt("leader.note.help")}</p>
          <TextAreaField
            id="note-text"
            label={lt("leader.note.label")}
            value={text}
            onInput={setText}
            maxLength={MAX}
            rows={3}
            help={lt("leader.note.count", { n: text.trim().length })}
            error={error}
          />
          <div class="row actions">
            <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
              {busy ? lt("leader.note.saving") : lt("leader.note.save")}
            </button>
            {note && (
              <button
                type="button"
                class="btn danger"
                onClick={() => save("")}
                aria-disabled={busy ? "true" : undefined}
              >
                {lt("leader.note.remove")}
              </button>
            )}
          </div>
        </form>
      ) : (
        <p>{note ?? lt("leader.note.none")}</p>
      )}
      <p class="visually-hidden" role="status">
        {status}
      </p>
      {status && (
        <p class="notice ok" aria-hidden="true">
          {status}
        </p>
      )}
    </section>
  );
}
