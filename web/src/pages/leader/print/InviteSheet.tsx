import { formatDate } from "../../../format";
import { lt } from "../i18n";
import type { IssuedInvite } from "../leader-api";

/** The QR code from the API's SVG, as an image: no markup from anywhere is put into the page. */
function QrImage({ svg, alt }: { svg: string; alt: string }) {
  return <img class="invite-qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={alt} />;
}

/**
 * One invite on paper: the QR code, the short code and three large steps. A household invite joins a tablet with
 * one tap; a leader or block-leader invite opens the registration form.
 */
export function InviteSheet({ inv }: { inv: IssuedInvite }) {
  const household = inv.kind === "household";
  const joinPage = `${new URL(inv.url).origin}/join`;
  const steps = household
    ? [lt("leader.sheet.step1"), lt("leader.sheet.step2"), lt("leader.sheet.step3")]
    : [lt("leader.sheet.staffStep1"), lt("leader.sheet.staffStep2"), lt("leader.sheet.staffStep3")];
  const title = household
    ? lt("leader.sheet.title", { household: inv.householdLabel ?? "" })
    : inv.kind === "block_leader"
      ? lt("leader.sheet.titleBlockLeader")
      : lt("leader.sheet.titleLeader");
  return (
    <section class="invite-sheet" aria-label={title}>
      <p class="invite-assoc">{inv.associationName}</p>
      <h2 class="invite-title">{title}</h2>
      <p class="invite-lead">{household ? lt("leader.sheet.lead") : lt("leader.sheet.staffLead")}</p>
      <div class="invite-main">
        <QrImage svg={inv.qrSvg} alt={lt("leader.sheet.qrAlt", { name: inv.householdLabel ?? inv.associationName })} />
        <ol class="invite-steps">
          {steps.map((s, i) => (
            <li key={i}>
              <span class="step-no" aria-hidden="true">
                {i + 1}.
              </span>{" "}
              {s}
            </li>
          ))}
        </ol>
      </div>
      {household ? (
        <p class="invite-code">
          {lt("leader.sheet.codeHelp", { page: joinPage })}
          <strong class="code">{inv.codeDisplay}</strong>
        </p>
      ) : (
        <p class="invite-code">
          {lt("leader.sheet.urlHelp")}
          <strong class="url">{inv.url}</strong>
        </p>
      )}
      <p class="invite-expiry">{lt("leader.sheet.expires", { date: formatDate(inv.expiresAt) })}</p>
    </section>
  );
}
