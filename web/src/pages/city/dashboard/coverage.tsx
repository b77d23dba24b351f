// Coverage as the city reads it, with 「世帯数の見直しが必要」 where an association has more member households than the
// households in area entered for it: its coverage counts at most 100% and the figure needs review (docs/adr/0005).
// The dashboard's summary and tables and the needs-support list show it the same way. Its words are registered here
// beside the city dictionaries (web/src/i18n/city.*.ts; extendMessages, as every chunk does).
import { extendMessages, t } from "../../../i18n";
import { NoValue } from "../DataTable";
import { percent } from "../format";

extendMessages(
  {
    ja: {
      "city.fig.overCount": "世帯数の見直しが必要",
      "city.fig.overCountDetail":
        "加入世帯が区域内の世帯数より多い町内会があります。その町内会は100%として数えています。区域内の世帯数を見直してください。",
    },
    en: {
      "city.fig.overCount": "Household count needs review",
      "city.fig.overCountDetail":
        "An association here has more member households than households in its area: it counts as 100%. Please update its households in area.",
    },
  },
  "staff",
);

type OverCountKey = "city.fig.overCount" | "city.fig.overCountDetail";
const ot = (key: OverCountKey) => t(key);

/** The words under the summary's coverage, or nothing. */
export function OverCountDetail({ flagged }: { flagged: boolean | null }) {
  return flagged ? <strong>{ot("city.fig.overCountDetail")}</strong> : null;
}

/** A table cell: 「76%」, or 「100%」 with 「世帯数の見直しが必要」 under it; null (「—」) when there is nothing to show. */
export function coverageCell(r: { coverage: number | null; coverageOverCount: boolean | null }, suppressed = false) {
  if (!r.coverageOverCount) return percent(r.coverage);
  return (
    <>
      {percent(r.coverage) ?? <NoValue suppressed={suppressed} />}
      <br />
      <strong class="small">{ot("city.fig.overCount")}</strong>
    </>
  );
}
