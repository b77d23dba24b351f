import { useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, ApiError } from "../../../api";
import { messageFor } from "../../staff/errors";
import { issueHouseholdInvites, printInvites } from "../issued-invites";
import { LeaderLayout } from "../LeaderLayout";
import type { RosterAppliedDto, RosterPreviewDto } from "../../../../../server/features/roster/roster.schemas";
import { rosterT } from "./i18n";

type Channel = RosterPreviewDto["add"][number]["channel"];
const channelWord = (c: Channel) => rosterT(`roster.channel.${c}`);

function upload<T>(path: string, file: File, extra: Record<string, string> = {}) {
  const body = new FormData();
  body.append("file", file);
  for (const [k, v] of Object.entries(extra)) body.append(k, v);
  return api<T>(path, { method: "POST", body });
}

/**
 * /leader/roster: 「名簿を取り込む」. Choosing a file shows what importing it would do (nothing changes yet); errors are
 * listed by line and block the import; households missing from the file are offered as 転出, unchecked. After the
 * import, invite sheets for the new app households are one button away. The roster downloads in the same format.
 */
export function RosterPage() {
  const { route } = useLocation();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RosterPreviewDto | null>(null);
  const [leave, setLeave] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<"reading" | "applying" | "invites" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [applied, setApplied] = useState<RosterAppliedDto | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  function fail(e: unknown) {
    setError(messageFor(e));
    setTimeout(() => errorRef.current?.focus(), 0);
  }

  async function check(f: File) {
    setBusy("reading");
    setError(null);
    setApplied(null);
    setPreview(null);
    setLeave(new Set());
    try {
      setPreview(await upload<RosterPreviewDto>("/api/roster/preview", f));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  }

  async function apply() {
    if (!file || !preview || busy) return;
    setBusy("applying");
    setError(null);
    try {
      const extra = { token: preview.token, leave: [...leave].join(",") };
      setApplied(await upload<RosterAppliedDto>("/api/roster/apply", file, extra));
      setPreview(null);
    } catch (e) {
      fail(e);
      // The roster changed meanwhile: the preview no longer says what importing would do.
      if (e instanceof ApiError && e.status === 409) setPreview(null);
    } finally {
      setBusy(null);
    }
  }

  async function printNewInvites(ids: string[]) {
    setBusy("invites");
    try {
      printInvites(route, await issueHouseholdInvites(ids));
    } catch (e) {
      fail(e);
      setBusy(null);
    }
  }

  const toggle = (id: string, on: boolean) => {
    const next = new Set(leave);
    if (on) next.add(id);
    else next.delete(id);
    setLeave(next);
  };
  const hasWork = preview && preview.add.length + preview.change.length + leave.size > 0;

  return (
    <LeaderLayout title={rosterT("roster.title")}>
      <div class="stack roster-page">
        <h1>{rosterT("roster.title")}</h1>
        <p>{rosterT("roster.lead")}</p>
        <div class="field">
          <label for="roster-file">{rosterT("roster.choose")}</label>
          <input
            id="roster-file"
            class="file-input"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby="roster-file-help"
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0] ?? null;
              setFile(f);
              if (f) void check(f);
            }}
          />
          <p class="help" id="roster-file-help">
            {file ? file.name : rosterT("roster.chooseHelp")}
          </p>
        </div>
        <p role="status" aria-live="polite">
          {busy === "reading" ? rosterT("roster.reading") : ""}
        </p>
        {error && (
          <div class="stack">
            <p class="notice error" role="alert" tabIndex={-1} ref={errorRef}>
              {error}
            </p>
            {file && (
              <p>
                <button type="button" class="btn" onClick={() => check(file)}>
                  {rosterT("roster.again")}
                </button>
              </p>
            )}
          </div>
        )}
        {applied && (
          <div class="stack">
            <p class="notice ok" role="status">
              {rosterT("roster.applied", { added: applied.added, changed: applied.changed, left: applied.left })}
            </p>
            {applied.addedAppHouseholdIds.length > 0 && (
              <p>
                <button
                  type="button"
                  class="btn primary"
                  aria-disabled={busy ? "true" : undefined}
                  onClick={() => busy || printNewInvites(applied.addedAppHouseholdIds)}
                >
                  {busy === "invites"
                    ? rosterT("roster.invitesMaking")
                    : rosterT("roster.invites", { n: applied.addedAppHouseholdIds.length })}
                </button>
              </p>
            )}
          </div>
        )}
        {preview && preview.errors.length > 0 && (
          <section class="stack notice error" aria-labelledby="roster-errors-h">
            <h2 id="roster-errors-h">{rosterT("roster.errorsTitle", { n: preview.errors.length })}</h2>
            <p>{rosterT("roster.errorsHelp")}</p>
            <ul class="plain-list stack">
              {preview.errors.map((e) => (
                <li key={`${e.line}-${e.message}`}>{e.message}</li>
              ))}
            </ul>
          </section>
        )}
        {preview && preview.errors.length === 0 && (
          <section class="stack" aria-labelledby="roster-preview-h">
            <h2 id="roster-preview-h">{rosterT("roster.previewTitle")}</h2>
            <ul class="plain-list roster-counts">
              <li>{rosterT("roster.addCount", { n: preview.add.length })}</li>
              <li>{rosterT("roster.changeCount", { n: preview.change.length })}</li>
              <li>{rosterT("roster.unchangedCount", { n: preview.unchanged })}</li>
              <li>{rosterT("roster.missingCount", { n: preview.missing.length })}</li>
            </ul>
            {preview.newBlocks.length > 0 && (
              <p>{rosterT("roster.newBlocks", { names: preview.newBlocks.join("・") })}</p>
            )}
            {preview.add.length > 0 && (
              <details open={preview.add.length <= 50}>
                <summary>{rosterT("roster.addTitle")}</summary>
                <ul class="plain-list">
                  {preview.add.map((a) => (
                    <li key={a.line}>
                      {rosterT("roster.entry", { block: a.block, label: a.label, channel: channelWord(a.channel) })}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {preview.change.length > 0 && (
              <details open={preview.change.length <= 50}>
                <summary>{rosterT("roster.changeTitle")}</summary>
                <ul class="plain-list">
                  {preview.change.map((c) => (
                    <li key={c.householdId}>
                      {rosterT("roster.changeEntry", {
                        label: c.label,
                        before: `${c.before.block}・${channelWord(c.before.channel)}`,
                        after: `${c.after.block}・${channelWord(c.after.channel)}`,
                      })}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {preview.missing.length > 0 && (
              <fieldset class="stack">
                <legend>{rosterT("roster.missingTitle")}</legend>
                <p class="help">{rosterT("roster.missingHelp")}</p>
                {preview.missing.map((m) => (
                  <label key={m.householdId} class="choice">
                    <input
                      type="checkbox"
                      checked={leave.has(m.householdId)}
                      onChange={(e) => toggle(m.householdId, (e.target as HTMLInputElement).checked)}
                    />
                    {rosterT("roster.leave", { label: m.label, block: m.block })}
                  </label>
                ))}
              </fieldset>
            )}
            {hasWork ? (
              <p>
                <button type="button" class="btn primary" aria-disabled={busy ? "true" : undefined} onClick={apply}>
                  {busy === "applying" ? rosterT("roster.applying") : rosterT("roster.apply")}
                </button>
              </p>
            ) : (
              <p class="notice ok">{rosterT("roster.nothing")}</p>
            )}
          </section>
        )}
        <section class="stack" aria-labelledby="roster-export-h">
          <h2 id="roster-export-h">{rosterT("roster.exportTitle")}</h2>
          <p class="help">{rosterT("roster.exportHelp")}</p>
          <div class="row actions">
            <a class="btn" href="/api/roster/export?format=xlsx" download="名簿.xlsx">
              {rosterT("roster.exportXlsx")}
            </a>
            <a class="btn" href="/api/roster/export?format=csv" download="名簿.csv">
              {rosterT("roster.exportCsv")}
            </a>
          </div>
        </section>
        <p>
          <a href="/leader/households">{rosterT("roster.back")}</a>
        </p>
      </div>
    </LeaderLayout>
  );
}
