// 「やさしい日本語」 on the compose screen (a leader's and the city's alike): a second text of the body in plain
// Japanese, started from the body, and 「やさしい日本語チェック」, which marks what the 2020 guideline advises against
// (server/features/easy-japanese/check.ts, the same code the server's tests run) with a rewrite to accept in one tap.
// Only the staff chunks import this file.
import { useMemo, useState } from "preact/hooks";
import { acceptHint, checkEasyJapanese, type EasyHint } from "../../../../../server/features/easy-japanese/check";
import { serverLang } from "../../../i18n";
import { TextAreaField } from "../fields";
import { st } from "../i18n";

const later = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

function excerpt(text: string, h: EasyHint): string {
  const span = text.slice(h.start, h.end);
  return span.length > 40 ? `${span.slice(0, 40)}…` : span;
}

export function EasyJapaneseField(p: {
  id: string;
  body: string;
  /** null: no やさしい日本語 version yet. */
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
}) {
  const [open, setOpen] = useState(false);
  const text = p.value ?? "";
  const hints = useMemo(() => (open ? checkEasyJapanese(text) : []), [open, text]);
  const en = serverLang() === "en";

  return (
    <section class="stack easy-field" aria-labelledby={`${p.id}-h`}>
      <h2 id={`${p.id}-h`}>{st("staff.easy.title")}</h2>
      <p class="help">{st("staff.easy.lead")}</p>
      {p.value === null ? (
        <p>
          <button
            type="button"
            class="btn"
            onClick={() => {
              p.onChange(p.body);
              later(p.id);
            }}
          >
            {st("staff.easy.start")}
          </button>
        </p>
      ) : (
        <>
          <TextAreaField
            id={p.id}
            label={st("staff.easy.field")}
            value={p.value}
            onInput={(v) => p.onChange(v)}
            maxLength={20000}
            rows={8}
            help={st("staff.easy.fieldHelp")}
            error={p.error}
          />
          <div class="row actions">
            <button
              type="button"
              class="btn"
              aria-expanded={open ? "true" : "false"}
              aria-controls={`${p.id}-check`}
              onClick={() => setOpen(!open)}
            >
              {open ? st("staff.easy.hideCheck") : st("staff.easy.check")}
            </button>
            <button
              type="button"
              class="btn link"
              onClick={() => {
                setOpen(false);
                p.onChange(null);
              }}
            >
              {st("staff.easy.remove")}
            </button>
          </div>
          <div id={`${p.id}-check`} class="stack easy-check" hidden={!open}>
            {open && (
              <>
                <h3 id={`${p.id}-check-h`} tabIndex={-1}>
                  {hints.length ? st("staff.easy.hints", { n: hints.length }) : st("staff.easy.noHints")}
                </h3>
                <ul class="easy-hints">
                  {hints.map((h) => (
                    <li key={`${h.rule}-${h.start}-${h.end}`} class="easy-hint">
                      {h.rule !== "kanji_ratio" && (
                        <p>
                          <mark>{excerpt(text, h)}</mark>
                        </p>
                      )}
                      <p>{en ? h.messageEn : h.message}</p>
                      {h.suggestion !== undefined && (
                        <p>
                          <button
                            type="button"
                            class="btn"
                            onClick={() => {
                              p.onChange(acceptHint(text, h));
                              later(`${p.id}-check-h`);
                            }}
                          >
                            {st("staff.easy.accept", { text: h.suggestion })}
                          </button>
                        </p>
                      )}
                    </li>
                  ))}
                </ul>
                <p class="help">{st("staff.easy.source")}</p>
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
