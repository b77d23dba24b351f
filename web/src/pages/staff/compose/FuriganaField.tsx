// 「ふりがな」 on the compose screen (a leader's and the city's alike, docs/adr/0016): the saved draft's words with kanji
// and the readings residents who chose 「ふりがなを表示」 will see, each in a field to correct (place and people's
// names are often read wrong), saved with the draft and applied when it is published. Where the deployment cannot
// compute readings (Workers) the server answers available: false and this says the circular goes without ふりがな.
// Only the staff chunks import this file.
import { useState } from "preact/hooks";
import { api, ApiError } from "../../../api";
import type { DraftReadings } from "../../../../../server/features/furigana/furigana.schemas";
import { messageFor } from "../errors";
import { TextField } from "../fields";
import { st } from "../i18n";

type Word = DraftReadings["words"][number];

export function FuriganaField(p: {
  id: string;
  /** Saves the draft first when needed; null after showing what to fix. */
  ensureSaved: () => Promise<string | null>;
  /** The draft's readings address. */
  url: (draftId: string) => string;
}) {
  const [state, setState] = useState<null | { draftId: string; available: boolean; words: Word[] }>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function task(run: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(messageFor(e));
      if (e instanceof ApiError && state) {
        const sent = state.words.filter((w) => w.reading !== w.suggested);
        const byWord: Record<string, string> = {};
        sent.forEach((w, i) => {
          const m = e.fieldMessage(`fixes.${i}.reading`) ?? e.fieldMessage(`fixes.${i}.word`);
          if (m) byWord[w.word] = m;
        });
        setFieldErrors(byWord);
      }
    } finally {
      setBusy(false);
    }
  }

  const load = () =>
    task(async () => {
      const draftId = await p.ensureSaved();
      if (!draftId) return;
      const got = await api<DraftReadings>(p.url(draftId));
      setState({ draftId, ...got });
      setFieldErrors({});
      setStatus(got.available ? st("staff.furigana.loaded", { n: got.words.length }) : "");
      setTimeout(() => document.getElementById(`${p.id}-list-h`)?.focus(), 0);
    });

  const save = () =>
    task(async () => {
      if (!state) return;
      const fixes = state.words
        .filter((w) => w.reading.trim() !== w.suggested)
        .map((w) => ({ word: w.word, reading: w.reading.trim() }));
      const got = await api<DraftReadings>(p.url(state.draftId), { method: "PUT", json: { fixes } });
      setState({ draftId: state.draftId, ...got });
      setFieldErrors({});
      setStatus(st("staff.furigana.saved"));
    });

  const change = (word: string, reading: string) => {
    if (!state) return;
    setState({ ...state, words: state.words.map((w) => (w.word === word ? { ...w, reading } : w)) });
    setStatus("");
  };

  return (
    <section class="stack furigana-field" aria-labelledby={`${p.id}-h`}>
      <h2 id={`${p.id}-h`}>{st("staff.furigana.title")}</h2>
      <p class="help">{st("staff.furigana.lead")}</p>
      <p>
        <button type="button" class="btn" onClick={load} aria-disabled={busy ? "true" : undefined}>
          {busy && !state ? st("staff.furigana.loading") : st("staff.furigana.show")}
        </button>
      </p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {state && !state.available && (
        <p class="notice" role="status">
          {st("staff.furigana.unavailable")}
        </p>
      )}
      {state?.available && (
        <div class="stack">
          <h3 id={`${p.id}-list-h`} tabIndex={-1}>
            {state.words.length ? st("staff.furigana.words", { n: state.words.length }) : st("staff.furigana.none")}
          </h3>
          {state.words.length > 0 && <p class="help">{st("staff.furigana.help")}</p>}
          <ul class="furigana-words">
            {state.words.map((w, i) => (
              <li key={w.word}>
                <TextField
                  id={`${p.id}-w${i}`}
                  label={st("staff.furigana.word", { word: w.word })}
                  value={w.reading}
                  onInput={(v) => change(w.word, v)}
                  maxLength={64}
                  help={
                    w.reading.trim() !== w.suggested
                      ? st("staff.furigana.suggested", { reading: w.suggested })
                      : undefined
                  }
                  error={fieldErrors[w.word]}
                />
              </li>
            ))}
          </ul>
          {state.words.length > 0 && (
            <p>
              <button type="button" class="btn" onClick={save} aria-disabled={busy ? "true" : undefined}>
                {busy ? st("staff.furigana.saving") : st("staff.furigana.save")}
              </button>
            </p>
          )}
        </div>
      )}
      <p class="muted" role="status">
        {status}
      </p>
    </section>
  );
}
