// What the list and the live view both say of a 安否確認: its name (「【訓練】安否確認」 for a drill) and its badges.
import type { SafetyHead } from "../city-api";
import { ct } from "../i18n";

/** The check's name on the list and as its page's heading: 「安否確認」 or 「【訓練】安否確認」. */
export const safetyTitle = (c: Pick<SafetyHead, "drill">) =>
  ct(c.drill ? "city.safety.drillTitle" : "city.safety.checkTitle");

/** 「実施中」 or 「終了」, and 「訓練」 for a drill. */
export function SafetyBadges({ c }: { c: SafetyHead }) {
  return (
    <p class="badges">
      {c.open ? (
        <span class="badge urgent">{ct("city.safety.open")}</span>
      ) : (
        <span class="badge">{ct("city.safety.closed")}</span>
      )}
      {c.drill && <span class="badge drill">{ct("city.safety.drill")}</span>}
    </p>
  );
}
