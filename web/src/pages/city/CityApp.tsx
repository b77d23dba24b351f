// The city chunk's entry (loaded lazily by app.tsx for /city/...; never by a resident's first load): its strings,
// styles and routes. Every screen needs a signed-in city staff member (role city or admin); signing in happens at
// /login, which brings city staff back here.
import type { VNode } from "preact";
import { useLocation } from "preact-iso";
import { Loading } from "../../components/Loading";
import { isCityStaff, me } from "../../session";
import "./i18n";
import "./styles";
import { CityCircularListPage } from "./circulars/CityCircularListPage";
import { CityCircularPage } from "./circulars/CityCircularPage";
import { CityComposePage } from "./circulars/CityComposePage";
import { CityLayout, NotCity } from "./CityLayout";
import { DashboardPage } from "./dashboard/DashboardPage";
import { NeedsSupportPage } from "./needs/NeedsSupportPage";
import { SafetyCheckPage } from "./safety/SafetyCheckPage";
import { SafetyListPage } from "./safety/SafetyListPage";
import { st } from "../staff/i18n";
import { PasskeysSection } from "../staff/passkeys/PasskeysSection";

type Params = Record<string, string>;

/** /city/passkeys: a city staff member's own passkeys (../staff/passkeys). */
function CityPasskeysPage() {
  return (
    <CityLayout title={st("staff.passkeys.title")}>
      <PasskeysSection />
    </CityLayout>
  );
}

const SCREENS: { pattern: RegExp; render: (p: Params) => VNode }[] = [
  { pattern: /^\/city$/, render: () => <DashboardPage level="city" id="" /> },
  { pattern: /^\/city\/w\/(?<id>[^/]+)$/, render: (p) => <DashboardPage level="ward" id={p.id ?? ""} /> },
  { pattern: /^\/city\/d\/(?<id>[^/]+)$/, render: (p) => <DashboardPage level="district" id={p.id ?? ""} /> },
  { pattern: /^\/city\/a\/(?<id>[^/]+)$/, render: (p) => <DashboardPage level="association" id={p.id ?? ""} /> },
  { pattern: /^\/city\/needs-support$/, render: () => <NeedsSupportPage /> },
  { pattern: /^\/city\/circulars$/, render: () => <CityCircularListPage /> },
  // /city/circulars/new and /city/circulars/<id>/edit are the same component, so saving a new draft (which moves
  // to its own address) keeps the page as it is.
  { pattern: /^\/city\/circulars\/new$/, render: () => <CityComposePage /> },
  { pattern: /^\/city\/circulars\/(?<id>[^/]+)\/edit$/, render: (p) => <CityComposePage id={p.id} /> },
  { pattern: /^\/city\/circulars\/(?<id>[^/]+)$/, render: (p) => <CityCircularPage id={p.id ?? ""} /> },
  { pattern: /^\/city\/safety$/, render: () => <SafetyListPage /> },
  { pattern: /^\/city\/passkeys$/, render: () => <CityPasskeysPage /> },
  { pattern: /^\/city\/safety\/(?<id>[^/]+)$/, render: (p) => <SafetyCheckPage id={p.id ?? ""} /> },
];

function match(path: string): { render: (p: Params) => VNode; params: Params } | null {
  for (const s of SCREENS) {
    const m = s.pattern.exec(path);
    if (m)
      return {
        render: s.render,
        params: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])),
      };
  }
  return null;
}

export default function CityApp() {
  const { path, route } = useLocation();
  const m = me.value;
  if (m === undefined) return <Loading />;
  if (!m) {
    route("/login", true);
    return <Loading />;
  }
  if (!isCityStaff(m)) return <NotCity />;
  const found = match(path) ?? match("/city")!;
  return found.render(found.params);
}
