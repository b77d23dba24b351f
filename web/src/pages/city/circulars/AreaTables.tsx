// A city circular's figures as three tables, from the top: by ward, by district (with its ward), by association (with
// its ward and district). The read figures, the survey's tallies (SurveyTallies.tsx) and a 安否確認's live counts
// (../safety/SafetyFigures.tsx) all come this way; only their own columns and titles differ.
import { DataTable, type Column } from "../DataTable";
import { count } from "../format";
import { ct } from "../i18n";

export type AreaLevel = "wards" | "districts" | "associations";

/** A group as the tables show it: its name, and where it is (a district's ward, an association's ward and district). */
export interface AreaRow {
  id: string;
  name: string;
  suppressed: boolean;
  wardName?: string;
  districtName?: string;
}

const LEVELS: {
  key: AreaLevel;
  title: "byWard" | "byDistrict" | "byAssociation";
  name: () => string;
  place: ("ward" | "district")[];
}[] = [
  { key: "wards", title: "byWard", name: () => ct("city.col.ward"), place: [] },
  { key: "districts", title: "byDistrict", name: () => ct("city.col.district"), place: ["ward"] },
  { key: "associations", title: "byAssociation", name: () => ct("city.col.association"), place: ["ward", "district"] },
];

/** A column of households (配布した世帯, 確認した世帯, 回答した世帯): 1,234, or 「—」 for null. */
export function countColumn<R>(key: string, label: string, get: (r: R) => number | null): Column<R> {
  return { key, label, numeric: true, sort: get, cell: (r) => count(get(r)) };
}

function placeColumns<R extends AreaRow>(level: (typeof LEVELS)[number]): Column<R>[] {
  const where = {
    ward: { key: "ward", label: ct("city.col.ward"), get: (r: R) => r.wardName ?? null },
    district: { key: "district", label: ct("city.col.district"), get: (r: R) => r.districtName ?? null },
  };
  return [
    { key: "name", label: level.name(), sort: (r) => r.name, cell: (r) => r.name },
    ...level.place.map((p) => ({ key: where[p].key, label: where[p].label, sort: where[p].get, cell: where[p].get })),
  ];
}

export function AreaTables<R extends AreaRow>(p: {
  /** The tables' ids are `${id}-wards` and so on. */
  id: string;
  rows: Record<AreaLevel, R[]>;
  /** The tables' titles: "<titles>.byWard" and so on (区ごとの確認, 区ごとの回答, 区ごとの安否). */
  titles: "city.detail" | "city.survey" | "city.safety";
  /** The columns after the group's name and place. */
  columns: Column<R>[];
}) {
  return (
    <>
      {LEVELS.map((level) => (
        <DataTable<R>
          key={level.key}
          id={`${p.id}-${level.key}`}
          heading="h3"
          title={ct(`${p.titles}.${level.title}`)}
          columns={[...placeColumns<R>(level), ...p.columns]}
          rows={p.rows[level.key]}
          rowKey={(r) => r.id}
          suppressed={(r) => r.suppressed}
        />
      ))}
    </>
  );
}
