import { formatDate } from "../../../format";
import { lt } from "../i18n";
import type { Circular } from "../leader-api";
import { QuestionSheet } from "../QuestionSheet";

/**
 * One paper household's answer slip, a sheet of its own: the household and its 班 on top, the questions with a box for
 * every choice in large type, and the 「回答」 box the 班長 ticks once the answer is entered (「紙の回答を入力」).
 */
export function AnswerSlip({ c, household, block }: { c: Circular; household: string; block: string }) {
  return (
    <article
      class="print-sheet print-page print-large answer-slip stack"
      aria-label={lt("leader.slip.label", { household })}
    >
      <p class="slip-head">
        <span class="paper-block">{block}</span> <strong class="slip-household">{household}</strong>
      </p>
      <h2 class="paper-title">{lt("leader.slip.title", { title: c.title })}</h2>
      <p>{c.dueAt ? lt("leader.slip.howToDue", { date: formatDate(c.dueAt) }) : lt("leader.slip.howTo")}</p>
      <QuestionSheet questions={c.questions} anonymous={c.anonymous} />
      <table class="print-table slip-check">
        <tbody>
          <tr>
            <th scope="row">{lt("leader.table.answer")}</th>
            <td class="seal-cell" />
            <td>{lt("leader.slip.check")}</td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}
