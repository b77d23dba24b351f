// The 「見守り」 screen's content, shared by the leader chunk (/leader/watch) and a resident named as watcher
// (/watch): the watched households the signed-in member looks after, those gone quiet first with how many days, and
// 「様子を確認しました」 (訪問 or 電話, a note) on each.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api";
import { formatDate, formatDateTime } from "../../format";
import type { WatchedHousehold, WatchList } from "../../../../server/features/watch/watch.schemas";
import { ErrorNotice, Loading } from "../Loading";
import { watchError, wt } from "./i18n";

type Channel = "visit" | "phone";

function CheckForm({
  h,
  onDone,
  onCancel,
}: {
  h: WatchedHousehold;
  onDone: (after: WatchedHousehold) => void;
  onCancel: () => void;
}) {
  const [channel, setChannel] = useState<Channel>("visit");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = `watch-check-${h.householdId}`;
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const after = await api<WatchedHousehold>(`/api/watch/${encodeURIComponent(h.householdId)}/checks`, {
        method: "POST",
        json: { channel, note },
      });
      onDone(after);
    } catch (err) {
      setError(watchError(err));
      setBusy(false);
    }
  }

  return (
    <form class="stack edit-panel" id={formId} onSubmit={submit} noValidate>
      <h3>{wt("watch.check.title", { label: h.label })}</h3>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <fieldset class="field">
        <legend>{wt("watch.check.channel")}</legend>
        <div class="segmented">
          {(["visit", "phone"] as const).map((c, i) => (
            <label key={c}>
              <input
                ref={i === 0 ? first : undefined}
                type="radio"
                name={`${formId}-channel`}
                checked={channel === c}
                onChange={() => setChannel(c)}
              />
              {wt(c === "visit" ? "watch.check.visit" : "watch.check.phone")}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for={`${formId}-note`}>{wt("watch.check.note")}</label>
        <textarea
          id={`${formId}-note`}
          rows={2}
          maxLength={200}
          value={note}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <div class="row">
        <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
          {busy ? wt("watch.saving") : wt("watch.check.submit")}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {wt("watch.cancel")}
        </button>
      </div>
    </form>
  );
}

function Item({ h, onChecked }: { h: WatchedHousehold; onChecked: (after: WatchedHousehold) => void }) {
  const [checking, setChecking] = useState(false);
  const nameId = `watch-name-${h.householdId}`;
  return (
    <li class="card stack">
      <p>
        <strong id={nameId}>{h.label}</strong> <span class="muted">{h.blockName}</span>
      </p>
      {h.quiet && (
        <p class="notice">
          <strong>{h.lastReadAt ? wt("watch.item.quietDays", { n: h.quietDays }) : wt("watch.item.neverRead")}</strong>
        </p>
      )}
      <p class="muted">
        {h.lastReadAt && <>{wt("watch.item.lastRead", { date: formatDate(h.lastReadAt) })} ・ </>}
        {wt("watch.item.days", { n: h.days })}
        {h.watcher && <> ・ {wt("watch.item.watcher", { name: h.watcher.name })}</>}
      </p>
      {h.lastCheck && (
        <p class="muted">
          {wt("watch.item.lastCheck", {
            date: formatDateTime(h.lastCheck.at),
            channel: wt(h.lastCheck.channel === "visit" ? "watch.check.visit" : "watch.check.phone"),
            by: h.lastCheck.by,
          })}
          {h.lastCheck.note && <> 「{h.lastCheck.note}」</>}
        </p>
      )}
      {checking ? (
        <CheckForm
          h={h}
          onDone={(after) => {
            setChecking(false);
            onChecked(after);
          }}
          onCancel={() => setChecking(false)}
        />
      ) : (
        <p>
          <button
            type="button"
            class={h.quiet ? "btn primary" : "btn"}
            aria-describedby={nameId}
            onClick={() => setChecking(true)}
          >
            {wt("watch.check.open")}
          </button>
        </p>
      )}
    </li>
  );
}

export function WatchListView() {
  const [list, setList] = useState<WatchedHousehold[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  async function load() {
    try {
      setList((await api<WatchList>("/api/watch")).households);
      setError(null);
    } catch (e) {
      setError(watchError(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  if (error) return <ErrorNotice message={error} onRetry={load} />;
  if (!list) return <Loading />;
  const quiet = list.filter((h) => h.quiet);
  const rest = list.filter((h) => !h.quiet);
  const checked = (after: WatchedHousehold) => {
    setList(list.map((h) => (h.householdId === after.householdId ? after : h)));
    setStatus(wt("watch.check.done", { label: after.label }));
  };
  return (
    <div class="stack">
      <p>{wt("watch.page.lead")}</p>
      <p class="muted" role="status">
        {status}
      </p>
      <section class="stack" aria-labelledby="watch-quiet-h">
        <h2 id="watch-quiet-h">{wt("watch.page.quiet")}</h2>
        {quiet.length === 0 ? (
          <p>{wt("watch.page.quietNone")}</p>
        ) : (
          <ul class="cards">
            {quiet.map((h) => (
              <Item key={h.householdId} h={h} onChecked={checked} />
            ))}
          </ul>
        )}
      </section>
      <section class="stack" aria-labelledby="watch-all-h">
        <h2 id="watch-all-h">{wt("watch.page.all")}</h2>
        {rest.length === 0 && quiet.length === 0 ? (
          <p>{wt("watch.page.empty")}</p>
        ) : (
          <ul class="cards">
            {rest.map((h) => (
              <Item key={h.householdId} h={h} onChecked={checked} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
