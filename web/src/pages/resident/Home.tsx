import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { pendingAcks } from "../../ack-queue";
import { pendingAnswers } from "../../answer-queue";
import { api, ApiError, type FeedEntry } from "../../api";
import { lazyPart } from "../../components/lazy-part";
import { ErrorNotice, Loading } from "../../components/Loading";
import { Layout } from "../../components/Layout";
import { Phrases } from "../../components/Phrases";
import { formatDate, formatDateTime, formatTime, isPastDue } from "../../format";
import { t } from "../../i18n";
import { loadSafety, shownChecks, startSafety } from "../../safety";

/** 安否確認's banner (its own chunk: loaded only while a check is open). */
const SafetyBanners = lazyPart(() => import("./safety/Safety").then((m) => m.SafetyBanners));

interface Feed {
  unread: number;
  circulars: FeedEntry[];
}

function Card({ c }: { c: FeedEntry }) {
  const answerWaiting = !!pendingAnswers.value[c.id];
  const pending = answerWaiting || (!c.readAt && !!pendingAcks.value[c.id]);
  const unread = !c.readAt && !pending;
  // 「回答してください」 in words, until the household answers (offline too) or the due date passes on this device.
  const needsAnswer = c.needsAnswer && !answerWaiting && !isPastDue(c.dueAt);
  const cls = ["card", unread ? "unread" : "", c.priority === "urgent" && unread ? "urgent" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li>
      <a class={cls} href={`/c/${c.id}`}>
        <span class="title">
          {c.priority === "urgent" && unread && <span class="badge urgent">{t("card.urgent")}</span>}
          {unread && <span class="badge unread">{t("card.unread")}</span>}
          {needsAnswer && <span class="badge answer">{t("card.needsAnswer")}</span>}
          {pending && <span class="badge pending">{t("card.pending")}</span>}
          {c.origin === "city" && <span class="badge city">{t("card.city")}</span>}
          <Phrases text={c.title} breaks={c.titleBreaks} ruby={c.titleRuby} />
        </span>
        <span class="meta">
          <span>{t(c.origin === "city" ? "card.via" : "card.from", { from: c.from })}</span>
          {c.publishedAt && <span>{formatDate(c.publishedAt)}</span>}
          {unread && isPastDue(c.dueAt) && <span class="overdue">{t("card.overdue")}</span>}
          {unread && c.dueAt && <span>{t("card.due", { date: formatDate(c.dueAt) })}</span>}
          {c.readAt && <span>{t("card.read", { date: formatDateTime(c.readAt) })}</span>}
          {c.attachmentCount > 0 && <span>{t("card.attachments", { n: c.attachmentCount })}</span>}
        </span>
      </a>
    </li>
  );
}

/**
 * A household's notices: an open 安否確認 above everything, then urgent unread ones under a red banner, then unread,
 * then read.
 */
export function HomePage() {
  const [feed, setFeed] = useState<Feed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  const running = useRef(false);
  const load = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    void loadSafety();
    try {
      setFeed(await api<Feed>("/api/feed"));
      setUpdatedAt(new Date());
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.display : t("app.offline"));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    // A device that joined in this visit was not a household when the app started: read 安否確認 from now on.
    startSafety();
    void load();
  }, [load]);
  // When a queued acknowledgement or answer goes through, show the notice as read (and answered).
  const pendingCount = Object.keys(pendingAcks.value).length + Object.keys(pendingAnswers.value).length;
  useEffect(() => {
    if (feed && pendingCount === 0) void load();
  }, [pendingCount]);

  const safety = shownChecks();
  const list = feed?.circulars ?? [];
  const unread = list.filter((c) => !c.readAt);
  const urgent = unread.filter((c) => c.priority === "urgent");
  const normal = unread.filter((c) => c.priority !== "urgent");
  const read = list.filter((c) => c.readAt);

  return (
    <Layout title={t("home.title")}>
      <div class="stack">
        {safety.length > 0 && <SafetyBanners checks={safety} />}
        <div class="row" style={{ justifyContent: "space-between" }}>
          <h1 style={{ margin: 0 }}>{t("home.title")}</h1>
          <button type="button" class="btn" onClick={load} aria-disabled={busy}>
            {t("home.refresh")}
          </button>
        </div>
        {/* Always there, so nothing below moves when the list arrives or is refreshed. */}
        <p class="muted" role="status">
          {busy ? t("home.refreshing") : updatedAt ? t("home.updated", { time: formatTime(updatedAt) }) : "\u00a0"}
        </p>
        {error && <ErrorNotice message={error} onRetry={load} />}
        {!feed && !error && <Loading />}
        {urgent.length > 0 && (
          <section aria-labelledby="urgent-h" class="stack">
            <h2 id="urgent-h" class="banner-urgent">
              {t("home.urgent")}
            </h2>
            <ul class="cards">
              {urgent.map((c) => (
                <Card key={c.id} c={c} />
              ))}
            </ul>
          </section>
        )}
        {normal.length > 0 && (
          <section aria-labelledby="unread-h" class="stack">
            <h2 id="unread-h">{t("home.unread")}</h2>
            <ul class="cards">
              {normal.map((c) => (
                <Card key={c.id} c={c} />
              ))}
            </ul>
          </section>
        )}
        {feed && list.length === 0 && <p>{t("home.empty")}</p>}
        {feed && list.length > 0 && unread.length === 0 && <p class="notice ok">{t("home.allRead")}</p>}
        {read.length > 0 && (
          <section aria-labelledby="read-h" class="stack">
            <h2 id="read-h">{t("home.read")}</h2>
            <ul class="cards">
              {read.map((c) => (
                <Card key={c.id} c={c} />
              ))}
            </ul>
          </section>
        )}
      </div>
    </Layout>
  );
}
