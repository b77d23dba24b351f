import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { BodyText } from "../../../components/BodyText";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDate } from "../../../format";
import { t } from "../../../i18n";
import { associationName } from "../compose/ResidentPreview";
import { messageFor } from "../../staff/errors";
import { SelectField } from "../../staff/fields";
import { lt } from "../i18n";
import type { Board, BoardBlock, Circular } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { AnswerSlip } from "./AnswerSlip";
import { PrintToolbar } from "./PrintToolbar";

const ALL = "all";

/** The circular itself in large type, as it goes round on paper. */
function PaperCircular({ c }: { c: Circular }) {
  const images = c.attachments.filter((a) => a.contentType.startsWith("image/"));
  const files = c.attachments.filter((a) => !a.contentType.startsWith("image/"));
  return (
    <div class="stack">
      {c.priority === "urgent" && <p class="banner-urgent">{t("card.urgent")}</p>}
      <h2 class="paper-title">{c.title}</h2>
      <p>
        {t("circular.from", { from: associationName() })}
        {c.publishedAt && <> ・ {formatDate(c.publishedAt)}</>}
        {c.dueAt && (
          <>
            <br />
            <strong>{t("circular.due", { date: formatDate(c.dueAt) })}</strong>
          </>
        )}
      </p>
      <BodyText parts={c.bodyParts} />
      {images.map((a) => (
        <img key={a.id} class="paper-image" src={a.url} alt={a.fileName} />
      ))}
      {files.length > 0 && <p>{lt("leader.printCircular.pdfs", { names: files.map((a) => a.fileName).join("、") })}</p>}
    </div>
  );
}

const paperOf = (b: BoardBlock) => b.households.filter((h) => h.householdChannel === "paper");

/**
 * 世帯 | 確認日 | 印 (| 回答): the block's paper households sign here, so they stay in the same loop as the app; with
 * questions, the 班長 ticks 「回答」 for each answer slip that came back.
 */
function SignOffTable({ block, answers }: { block: BoardBlock; answers: boolean }) {
  const paper = paperOf(block);
  return (
    <section class="stack sign-off" aria-labelledby={`so-${block.id}`}>
      <h3 id={`so-${block.id}`}>{lt("leader.printCircular.signOff", { block: block.name })}</h3>
      <p>{lt("leader.printCircular.howTo")}</p>
      <table class="print-table sign-off-table">
        <thead>
          <tr>
            <th scope="col">{lt("leader.table.household")}</th>
            <th scope="col">{lt("leader.table.date")}</th>
            <th scope="col">{lt("leader.table.seal")}</th>
            {answers && <th scope="col">{lt("leader.table.answer")}</th>}
          </tr>
        </thead>
        <tbody>
          {paper.map((h) => (
            <tr key={h.id}>
              <th scope="row">{h.label}</th>
              <td>{h.readAt ? formatDate(h.readAt) : ""}</td>
              <td class="seal-cell" />
              {answers && <td class="seal-cell" />}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * /leader/c/<id>/print: one A4 copy per block that has paper households, each with its sign-off table and, when the
 * circular asks questions, an answer slip per paper household of the block (each on a sheet of its own). With no
 * paper households in the audience, the circular alone.
 */
export function PrintCircularPage({ id }: { id: string }) {
  const [data, setData] = useState<{ c: Circular; board: Board } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blockId, setBlockId] = useState(ALL);
  const load = () =>
    Promise.all([
      api<Circular>(`/api/circulars/${encodeURIComponent(id)}`),
      api<Board>(`/api/circulars/${encodeURIComponent(id)}/receipts`),
    ])
      .then(([c, board]) => {
        setData({ c, board });
        setError(null);
      })
      .catch((e) => setError(messageFor(e)));
  useEffect(() => {
    void load();
  }, [id]);

  const withPaper = data?.board.blocks.filter((b) => paperOf(b).length > 0) ?? [];
  const chosen = blockId === ALL ? withPaper : withPaper.filter((b) => b.id === blockId);
  const asks = (data?.c.questions.length ?? 0) > 0;
  const slips = asks ? chosen.reduce((n, b) => n + paperOf(b).length, 0) : 0;
  return (
    <LeaderLayout title={data?.c.title ?? lt("leader.printCircular.title")}>
      <h1 class="no-print">{lt("leader.printCircular.title")}</h1>
      <PrintToolbar back={`/leader/c/${encodeURIComponent(id)}`} backLabel={lt("leader.print.backToBoard")} />
      {error && <ErrorNotice message={error} onRetry={load} />}
      {!data && !error && <Loading />}
      {data && (
        <>
          <div class="no-print stack print-options">
            {withPaper.length > 1 && (
              <SelectField
                id="print-block"
                label={lt("leader.printCircular.block")}
                value={blockId}
                onChange={setBlockId}
                options={[
                  { value: ALL, label: lt("leader.printCircular.allBlocks", { n: withPaper.length }) },
                  ...withPaper.map((b) => ({ value: b.id, label: b.name })),
                ]}
                help={lt("leader.printCircular.blockHelp")}
              />
            )}
            {withPaper.length === 0 && <p class="notice">{lt("leader.printCircular.noPaper")}</p>}
            {slips > 0 && <p class="notice">{lt("leader.printCircular.slips", { n: slips })}</p>}
          </div>
          {chosen.length === 0 ? (
            <article class="print-sheet print-page print-large">
              <PaperCircular c={data.c} />
            </article>
          ) : (
            chosen.map((b) => (
              <Fragment key={b.id}>
                <article class="print-sheet print-page print-large stack" aria-label={b.name}>
                  <p class="paper-block">{b.name}</p>
                  <PaperCircular c={data.c} />
                  <SignOffTable block={b} answers={asks} />
                </article>
                {asks && paperOf(b).map((h) => <AnswerSlip key={h.id} c={data.c} household={h.label} block={b.name} />)}
              </Fragment>
            ))
          )}
        </>
      )}
    </LeaderLayout>
  );
}
