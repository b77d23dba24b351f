// 「見守りを希望する」 in the resident's settings (its own chunk, loaded by LazyWatchSettings): the household's watch
// (who, how many days), asking for it, changing it and stopping it at once; and, for a resident someone named as
// their watcher, the way to the 「見守り」 screen.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { OwnWatch, WatchList } from "../../../../server/features/watch/watch.schemas";
import { watchError, wt } from "./i18n";
import { WatchForm, type WatchInput } from "./WatchForm";

export function WatchSettings() {
  const [own, setOwn] = useState<OwnWatch | null>(null);
  const [watching, setWatching] = useState(0);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<OwnWatch>("/api/watch/mine")
      .then(setOwn)
      .catch((e) => setError(watchError(e)));
    api<WatchList>("/api/watch")
      .then((r) => setWatching(r.households.length))
      .catch(() => undefined);
  }, []);

  async function save(input: WatchInput) {
    const next = await api<OwnWatch>("/api/watch/mine", { method: "PUT", json: input });
    setOwn(next);
    setEditing(false);
    setStatus(wt("watch.settings.saved"));
  }

  async function stop() {
    if (busy || !confirm(wt("watch.settings.stopConfirm"))) return;
    setBusy(true);
    setError(null);
    try {
      setOwn(await api<OwnWatch>("/api/watch/mine", { method: "DELETE" }));
      setStatus(wt("watch.settings.stopped"));
    } catch (e) {
      setError(watchError(e));
    } finally {
      setBusy(false);
    }
  }

  const watch = own?.watch ?? null;
  return (
    <section class="stack" aria-labelledby="watch-h">
      <h2 id="watch-h">{wt("watch.settings.title")}</h2>
      <p>{wt("watch.settings.lead")}</p>
      <p class="muted">{wt("watch.settings.how")}</p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {own && watch && !editing && (
        <div class="stack">
          <p>
            <strong>{wt("watch.settings.on")}</strong>
            {watch.requestedBy === "leader" && <> {wt("watch.settings.onLeader")}</>}
          </p>
          <p>
            {wt("watch.settings.summary", {
              who: watch.watcher?.name ?? wt("watch.settings.blockLeader"),
              days: watch.days,
            })}
          </p>
          <div class="row">
            <button type="button" class="btn" onClick={() => setEditing(true)}>
              {wt("watch.settings.change")}
            </button>
            <button type="button" class="btn danger" onClick={stop} aria-disabled={busy ? "true" : undefined}>
              {wt("watch.settings.stop")}
            </button>
          </div>
        </div>
      )}
      {own && !watch && !editing && (
        <p>
          <button type="button" class="btn primary" onClick={() => setEditing(true)}>
            {wt("watch.settings.start")}
          </button>
        </p>
      )}
      {editing && (
        <WatchForm
          formId="watch-mine"
          initial={watch}
          submitLabel={wt("watch.settings.save")}
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      )}
      <p class="muted" role="status">
        {status}
      </p>
      {watching > 0 && (
        <div class="stack">
          <p>{wt("watch.settings.watching", { n: watching })}</p>
          <p>
            <a class="btn" href="/watch">
              {wt("watch.settings.open")}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
