// /city/safety: the city's 安否確認, open ones first, past ones under 「これまでの安否確認」, and 「安否確認を始める」, which
// opens the form in place (SafetyStartForm.tsx).
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDateTime } from "../../../format";
import { useFlash } from "../../staff/flash";
import { useLoad } from "../../staff/use-load";
import { SAFETY_URL, type SafetyHead } from "../city-api";
import { CityLayout } from "../CityLayout";
import { ct } from "../i18n";
import { SafetyBadges, safetyTitle } from "./SafetyBadges";
import { SafetyStartForm } from "./SafetyStartForm";

function Item({ c }: { c: SafetyHead }) {
  return (
    <li class={c.open && !c.drill ? "card leader-card urgent" : "card leader-card"}>
      <h3 class="title">
        <a href={`/city/safety/${encodeURIComponent(c.id)}`}>
          {ct("city.safety.itemTitle", { title: safetyTitle(c), date: formatDateTime(c.startedAt) })}
        </a>
      </h3>
      <SafetyBadges c={c} />
      <p class="meta">
        <span>{ct("city.safety.started", { date: formatDateTime(c.startedAt) })}</span>
        {c.closedAt && <span>{ct("city.safety.ended", { date: formatDateTime(c.closedAt) })}</span>}
      </p>
      <p class="safety-message-line">{c.message}</p>
    </li>
  );
}

function Section({ id, title, list }: { id: string; title: string; list: SafetyHead[] }) {
  if (list.length === 0) return null;
  return (
    <section class="stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul class="cards">
        {list.map((c) => (
          <Item key={c.id} c={c} />
        ))}
      </ul>
    </section>
  );
}

export function SafetyListPage() {
  const flash = useFlash();
  const { data, error, reload } = useLoad<{ checks: SafetyHead[] }>(SAFETY_URL);
  const [starting, setStarting] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const closedForm = useRef(false);
  useEffect(() => {
    // Back from the form (やめる): focus returns to the button that opened it.
    if (!starting && closedForm.current) opener.current?.focus();
  }, [starting]);
  const checks = data?.checks ?? null;
  return (
    <CityLayout title={ct("city.safety.title")}>
      <div class="stack">
        <h1>{ct("city.safety.title")}</h1>
        <p>{ct("city.safety.lead")}</p>
        {flash && (
          <p class="notice ok" role="status">
            {flash}
          </p>
        )}
        {starting ? (
          <SafetyStartForm
            onCancel={() => {
              closedForm.current = true;
              setStarting(false);
            }}
          />
        ) : (
          <p>
            <button type="button" class="btn primary" ref={opener} onClick={() => setStarting(true)}>
              {ct("city.safety.start")}
            </button>
          </p>
        )}
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!checks && !error && <Loading />}
        {checks && checks.length === 0 && <p>{ct("city.safety.empty")}</p>}
        <Section id="safety-open-h" title={ct("city.safety.openSection")} list={(checks ?? []).filter((c) => c.open)} />
        <Section
          id="safety-past-h"
          title={ct("city.safety.pastSection")}
          list={(checks ?? []).filter((c) => !c.open)}
        />
      </div>
    </CityLayout>
  );
}
