import { issuedInvites } from "../issued-invites";
import { lt } from "../i18n";
import type { IssuedInvite } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { InviteSheet } from "./InviteSheet";
import { PrintToolbar } from "./PrintToolbar";

const PER_GRID_PAGE = 4;

function pages(list: IssuedInvite[]): IssuedInvite[][] {
  const out: IssuedInvite[][] = [];
  for (let i = 0; i < list.length; i += PER_GRID_PAGE) out.push(list.slice(i, i + PER_GRID_PAGE));
  return out;
}

/** /leader/invites/print: the invites just made, one A4 sheet per household or four to a sheet (to cut apart). */
export function InviteSheetsPage() {
  const issued = issuedInvites.value;
  return (
    <LeaderLayout title={lt("leader.sheets.title")} wide>
      <h1 class="no-print">{lt("leader.sheets.title")}</h1>
      {!issued ? (
        <div class="stack">
          <p class="notice">{lt("leader.sheets.gone")}</p>
          <a class="btn primary" href="/leader/households">
            {lt("leader.sheets.back")}
          </a>
        </div>
      ) : (
        <>
          <PrintToolbar
            back={issued.back ?? "/leader/households"}
            backLabel={lt(issued.back ? "leader.sheets.backToHandover" : "leader.sheets.back")}
            help={lt("leader.sheets.once", { n: issued.invites.length })}
          />
          {issued.layout === "single"
            ? issued.invites.map((inv) => (
                <div key={inv.id} class="print-page invite-page">
                  <InviteSheet inv={inv} />
                </div>
              ))
            : pages(issued.invites).map((group) => (
                <div key={group[0]!.id} class="print-page invite-grid">
                  {group.map((inv) => (
                    <InviteSheet key={inv.id} inv={inv} />
                  ))}
                </div>
              ))}
        </>
      )}
    </LeaderLayout>
  );
}
