// Routes. Resident screens are in the main bundle; leader and city screens load as their own chunks (lazy), so a
// resident's tablet downloads only what it shows.
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from "preact-iso";
import { Loading } from "./components/Loading";
import { isCityStaff, me } from "./session";
import { CircularPage } from "./pages/resident/Circular";
import { HomePage } from "./pages/resident/Home";
import { JoinCodePage, JoinPage } from "./pages/resident/Join";
import { SettingsPage } from "./pages/resident/Settings";
import { StartPage } from "./pages/resident/Start";
import { WelcomePage } from "./pages/resident/Welcome";

const Leader = lazy(() => import("./pages/leader/LeaderApp"));
const City = lazy(() => import("./pages/city/CityApp"));
/** 安否確認's answer screen, where its notification leads (the same chunk as the home banner). */
const Safety = lazy(() => import("./pages/resident/safety/Safety").then((m) => m.SafetyPage));
const Watch = lazy(() => import("./pages/resident/WatchPage"));
const Support = lazy(() => import("./pages/resident/SupportPage"));

function Root() {
  const m = me.value;
  if (m === undefined) return <Loading />;
  if (!m) return <StartPage />;
  if (!m.householdId && (m.role === "leader" || m.role === "block_leader" || isCityStaff(m))) {
    if (typeof location !== "undefined") location.replace(isCityStaff(m) ? "/city" : "/leader");
    return <Loading />;
  }
  return <HomePage />;
}

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Router>
          <Route path="/" component={Root} />
          <Route path="/join" component={JoinCodePage} />
          <Route path="/join/:token" component={JoinPage} />
          <Route path="/welcome" component={WelcomePage} />
          <Route path="/c/:id" component={CircularPage} />
          <Route path="/safety/:id" component={Safety} />
          <Route path="/settings" component={SettingsPage} />
          <Route path="/watch" component={Watch} />
          <Route path="/support" component={Support} />
          <Route path="/login" component={Leader} />
          <Route path="/leader/*" component={Leader} />
          <Route path="/leader" component={Leader} />
          <Route path="/city/*" component={City} />
          <Route path="/city" component={City} />
          <Route default component={StartPage} />
        </Router>
      </ErrorBoundary>
    </LocationProvider>
  );
}
