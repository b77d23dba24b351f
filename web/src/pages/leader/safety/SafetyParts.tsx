// Pieces every 安否確認 screen shares: the 「訓練」 mark, the counts (無事 / 助けが必要 / 未回答, in words: the colours
// only repeat them) and one household as the board lists it.
import { formatDateTime } from "../../../format";
import { needWords, sl, supportWords } from "./i18n";
import type { SafetyCheck, SafetyHousehold } from "./safety-api";

/** 「訓練」 after a heading's words, a space between them (so that the heading's name reads 「安否確認 訓練」). */
export function DrillBadge() {
  return (
    <>
      {" "}
      <span class="badge drill">{sl("safety.drill")}</span>
    </>
  );
}

/** 「仙台市から」, the same way. */
export function CityBadge() {
  return (
    <>
      {" "}
      <span class="badge city">{sl("safety.fromCity")}</span>
    </>
  );
}

/** 「無事 12世帯」「助けが必要 1世帯」「未回答 8世帯」. */
export function SafetyCounts({ counts, small }: { counts: SafetyCheck["counts"]; small?: boolean }) {
  const items = [
    { key: "help", label: sl("safety.help"), n: counts.help },
    { key: "unanswered", label: sl("safety.unanswered"), n: counts.unanswered },
    { key: "safe", label: sl("safety.safe"), n: counts.safe },
  ] as const;
  return (
    <ul class={small ? "safety-counts small" : "safety-counts"}>
      {items.map((i) => (
        <li key={i.key} class={`safety-count ${i.key}${i.n > 0 ? " some" : ""}`}>
          {sl("safety.countLine", { label: i.label, n: i.n })}
        </li>
      ))}
    </ul>
  );
}

export type Group = "help" | "unanswered" | "safe";

/**
 * One household: its name with 「要支援」「紙」「端末なし」, its state in words (「不在（12月2日 10:30）」 when a visit found
 * nobody), what it answered and how, what a 要支援 household needs, and 「訪問して確認」 where it may be recorded (its
 * accessible name names the household: 「山田 訪問して確認」).
 */
export function SafetyHouseholdItem({
  h,
  group,
  block,
  onVisit,
}: {
  h: SafetyHousehold;
  group: Group;
  /** The block's name, in the summary across blocks. */
  block?: string;
  onVisit?: () => void;
}) {
  const a = h.answer;
  const state =
    group === "help"
      ? sl("safety.help")
      : group === "safe"
        ? sl("safety.safe")
        : h.absentAt
          ? sl("safety.absentAt", { time: formatDateTime(h.absentAt) })
          : sl("safety.unanswered");
  const how = a && sl(`safety.channel.${a.channel}`);
  return (
    <li class={`hh safety-hh ${group}${h.support ? " support" : ""}`}>
      <span class="hh-name">
        {block && <span class="safety-hh-block">{block}</span>}
        {h.label}
        {h.support && <span class="badge support">{sl("safety.support")}</span>}
        {h.paper && <span class="badge">{sl("safety.paper")}</span>}
        {!h.paper && h.noDevice && <span class="badge">{sl("safety.noDevice")}</span>}
      </span>
      <span class="hh-status" id={`safety-status-${block ? "s-" : ""}${h.id}`} tabIndex={-1}>
        {state}
      </span>
      {a && how && (
        <span class="hh-detail muted">
          {a.answeredByName && a.channel !== "app"
            ? sl("safety.answeredByWho", { channel: how, time: formatDateTime(a.answeredAt), name: a.answeredByName })
            : sl("safety.answeredBy", { channel: how, time: formatDateTime(a.answeredAt) })}
        </span>
      )}
      {onVisit && (
        <button
          type="button"
          class="btn hh-action"
          aria-label={sl("safety.visitLabel", { label: h.label })}
          onClick={onVisit}
        >
          {sl("safety.visit")}
        </button>
      )}
      {a && a.state === "help" && a.needs.length > 0 && (
        <p class="hh-more safety-needs">{sl("safety.needs", { needs: needWords(a.needs) })}</p>
      )}
      {a && a.state === "help" && a.note && <p class="hh-more">{sl("safety.note", { note: a.note })}</p>}
      {a && a.state === "help" && a.people !== null && (
        <p class="hh-more muted">{sl("safety.people", { n: a.people })}</p>
      )}
      {h.support && (h.support.needs.length > 0 || h.support.note) && (
        <p class="hh-more support-needs">
          {h.support.needs.length > 0 && sl("safety.supportNeeds", { needs: supportWords(h.support.needs) })}
          {h.support.note && <> {h.support.note}</>}
        </p>
      )}
    </li>
  );
}
