// The leader chunk's entry (loaded lazily by app.tsx for /login and /leader/...): its own strings and styles, and
// its routes. Everything under /leader needs a signed-in leader or block leader, except the staff invite page; city
// staff who sign in at /login go on to /city.
import type { VNode } from "preact";
import { useLocation } from "preact-iso";
import { Loading } from "../../components/Loading";
import { isCityStaff, me } from "../../session";
import "./i18n";
import "./styles";
import { BoardPage } from "./board/BoardPage";
import { CircularListPage } from "./CircularListPage";
import { ComposePage } from "./compose/ComposePage";
import { ChecklistPage } from "./handover/ChecklistPage";
import { HandoverPage } from "./handover/HandoverPage";
import { HouseholdsPage } from "./households/HouseholdsPage";
import { isLeader, LeadersOnly } from "./LeaderLayout";
import { LoginPage } from "./LoginPage";
import { NotStaff } from "./NotStaff";
import { PasskeysPage } from "./PasskeysPage";
import { InviteSheetsPage } from "./print/InviteSheetsPage";
import { PrintCircularPage } from "./print/PrintCircularPage";
import { PrintUnreadPage } from "./print/PrintUnreadPage";
import { RosterPage } from "./roster/RosterPage";
import { HanchoGuidePage, useHanchoGuide } from "./rotation/HanchoGuidePage";
import { PrintSafetyUnansweredPage } from "./safety/PrintSafetyUnansweredPage";
import { SafetyBoardPage } from "./safety/SafetyBoardPage";
import { StaffJoinPage } from "./StaffJoinPage";
import { SupportListPage } from "./support/SupportListPage";
import { LeaderWatchPage } from "./watch/WatchPage";

type Params = Record<string, string>;
interface Screen {
  pattern: RegExp;
  render: (params: Params) => VNode;
  /** Only leaders (会長・役員) may use it; block leaders see why not. */
  leadersOnly?: boolean;
}

// /leader/new and /leader/c/<id>/edit render the same component, so saving a new draft (which moves to its own
// address) keeps the page as it is.
const SCREENS: Screen[] = [
  { pattern: /^\/leader$/, render: () => <CircularListPage /> },
  { pattern: /^\/leader\/new$/, render: () => <ComposePage />, leadersOnly: true },
  { pattern: /^\/leader\/c\/(?<id>[^/]+)$/, render: (p) => <BoardPage id={p.id ?? ""} /> },
  { pattern: /^\/leader\/c\/(?<id>[^/]+)\/edit$/, render: (p) => <ComposePage id={p.id} />, leadersOnly: true },
  { pattern: /^\/leader\/c\/(?<id>[^/]+)\/print$/, render: (p) => <PrintCircularPage id={p.id ?? ""} /> },
  { pattern: /^\/leader\/c\/(?<id>[^/]+)\/unread$/, render: (p) => <PrintUnreadPage id={p.id ?? ""} /> },
  { pattern: /^\/leader\/watch$/, render: () => <LeaderWatchPage /> },
  { pattern: /^\/leader\/hancho$/, render: () => <HanchoGuidePage /> },
  { pattern: /^\/leader\/passkeys$/, render: () => <PasskeysPage /> },
  { pattern: /^\/leader\/support$/, render: () => <SupportListPage /> },
  { pattern: /^\/leader\/safety\/(?<id>[^/]+)$/, render: (p) => <SafetyBoardPage id={p.id ?? ""} /> },
  {
    pattern: /^\/leader\/safety\/(?<id>[^/]+)\/unanswered$/,
    render: (p) => <PrintSafetyUnansweredPage id={p.id ?? ""} />,
  },
  { pattern: /^\/leader\/households$/, render: () => <HouseholdsPage />, leadersOnly: true },
  { pattern: /^\/leader\/roster$/, render: () => <RosterPage />, leadersOnly: true },
  { pattern: /^\/leader\/invites\/print$/, render: () => <InviteSheetsPage />, leadersOnly: true },
  { pattern: /^\/leader\/handover$/, render: () => <HandoverPage />, leadersOnly: true },
  { pattern: /^\/leader\/start$/, render: () => <ChecklistPage />, leadersOnly: true },
];

function match(path: string): { screen: Screen; params: Params } | null {
  for (const screen of SCREENS) {
    const m = screen.pattern.exec(path);
    if (m)
      return {
        screen,
        params: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])),
      };
  }
  return null;
}

export default function LeaderApp() {
  const { path, route } = useLocation();
  // A rotation's new 班長 sees 「班長になりました」 first (features/rotation).
  useHanchoGuide();
  const join = /^\/leader\/join\/(?<token>[^/]+)$/.exec(path);
  if (join) return <StaffJoinPage token={decodeURIComponent(join.groups?.token ?? "")} />;

  const m = me.value;
  if (m === undefined) return <Loading />;
  if (!m) return <LoginPage />;
  // City staff sign in here too; their screens are the city's.
  if (isCityStaff(m)) {
    route("/city", true);
    return <Loading />;
  }
  if (m.role !== "leader" && m.role !== "block_leader") return <NotStaff />;
  if (path === "/login") {
    route("/leader", true);
    return <Loading />;
  }
  const found = match(path) ?? match("/leader")!;
  if (found.screen.leadersOnly && !isLeader()) return <LeadersOnly />;
  return found.screen.render(found.params);
}
