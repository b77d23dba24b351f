// /leader/hancho: 「班長になりました」, the new 班長's one-page guide in large type (on screen and on A4): hand the paper
// copies to paper households, record their 確認 on the board, and what to do in a 安否確認. Opened by the rotation's
// notification, and by itself on the new 班長's first visit (useHanchoGuide); seen once, it stays here to reread.
import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { me } from "../../../session";
import { useLoad } from "../../staff/use-load";
import { LeaderLayout } from "../LeaderLayout";
import { PrintToolbar } from "../print/PrintToolbar";
import { rotationT } from "./i18n";
import type { HanchoGuide } from "./rotation-api";
import "./styles";

const GUIDE_URL = "/api/rotation/guide";

export function HanchoGuidePage() {
  // Opened by the first-visit check: the guide it fetched, not a second request for the same.
  const [handedOver] = useState(takeHanded);
  const loaded = useLoad<HanchoGuide>(handedOver ? null : GUIDE_URL);
  const { error, reload } = loaded;
  const data = loaded.data ?? handedOver;
  const guide = data?.guide;
  useEffect(() => {
    if (guide?.unseen) void api(`${GUIDE_URL}/seen`, { method: "POST" }).catch(() => undefined);
  }, [guide?.unseen]);

  return (
    <LeaderLayout title={rotationT("hancho.title")}>
      <PrintToolbar back="/leader" backLabel={rotationT("hancho.back")} help={rotationT("hancho.printHelp")} />
      {error && <ErrorNotice message={error} onRetry={reload} />}
      {!data && !error && <Loading />}
      {data && !guide && <p class="notice">{rotationT("hancho.notHancho")}</p>}
      {guide && (
        <article class="print-sheet stack hancho-guide" aria-labelledby="hancho-h">
          <h1 id="hancho-h">{rotationT("hancho.title")}</h1>
          <p>{rotationT("hancho.lead", { association: guide.associationName, block: guide.blockName })}</p>
          <h2>{rotationT("hancho.paper.h")}</h2>
          <ul>
            <li>{rotationT("hancho.paper.1")}</li>
            <li>{rotationT("hancho.paper.2")}</li>
          </ul>
          <h2>{rotationT("hancho.record.h")}</h2>
          <ul>
            <li>{rotationT("hancho.record.1")}</li>
            <li>{rotationT("hancho.record.2")}</li>
          </ul>
          <h2>{rotationT("hancho.safety.h")}</h2>
          <ul>
            <li>{rotationT("hancho.safety.1")}</li>
            <li>{rotationT("hancho.safety.2")}</li>
            <li>{rotationT("hancho.safety.3")}</li>
            <li>{rotationT("hancho.safety.4")}</li>
          </ul>
          <h2>{rotationT("hancho.help.h")}</h2>
          <p>{rotationT("hancho.help.1")}</p>
          <p class="no-print">
            <a class="btn primary" href="/leader">
              {rotationT("hancho.toList")}
            </a>
          </p>
        </article>
      )}
    </LeaderLayout>
  );
}

let checked = false;
/** The guide the first-visit check fetched, for the page it then opens. */
let handed: HanchoGuide | null = null;
function takeHanded(): HanchoGuide | null {
  const g = handed;
  handed = null;
  return g;
}

/**
 * On a 班長's first screen after a rotation made them 班長: go to the guide once. Asked once per page load; the guide
 * page marks it seen, so later visits go where they were going.
 */
export function useHanchoGuide() {
  const { path, route } = useLocation();
  const blockLeader = me.value?.role === "block_leader";
  useEffect(() => {
    if (!blockLeader || checked || path === "/leader/hancho") return;
    checked = true;
    api<HanchoGuide>(GUIDE_URL)
      .then((g) => {
        if (!g.guide?.unseen) return;
        handed = g;
        route("/leader/hancho");
      })
      .catch(() => undefined);
  }, [blockLeader, path]);
}
