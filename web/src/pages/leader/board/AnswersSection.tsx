// 「回答」 on a circular's board: how many households answered, each question's counts as a person reads them aloud
// (「出席 12世帯（25人）」), the written answers; block by block, the households that have not answered, each with its
// 「紙の回答を入力」, the block's counts (folded) and, unless 無記名, who answered what; 「未回答の世帯に再通知」; the
// CSV. 無記名: no household's answer is shown, and no counts under 5 answering households (the server withholds them).
import { useState } from "preact/hooks";
import { answerWords } from "../../../../../server/features/answers/answer-rules";
import { st } from "../../staff/i18n";
import {
  questionHeading,
  TallyLines,
  type AnswerValues,
  type Question,
  type QuestionTally,
} from "../../staff/questions";
import { lt } from "../i18n";
import type { AnswerBoard } from "../leader-api";
import { PaperAnswerDialog } from "./PaperAnswerDialog";
import { Reminder } from "./Reminder";

type Block = AnswerBoard["blocks"][number];

/** A household's answer in words: 「出席（2人）／公民館」. */
function householdAnswerWords(questions: Question[], value: AnswerValues): string {
  const say = {
    none: lt("leader.answers.none"),
    withPeople: (choice: string, n: number) => `${choice}（${lt("leader.answers.peopleN", { n })}）`,
    join: "、",
    option: (q: Question, id: string) => q.options.find((o) => o.id === id)?.label ?? id,
  };
  return questions.map((q) => answerWords(q, value[q.id], say)).join("／");
}

/** Each question's counts under its own heading; with `texts`, the written answers too. */
function Tallies({
  questions,
  tallies,
  heading: H,
  texts,
}: {
  questions: Question[];
  tallies: QuestionTally[];
  heading: "h3" | "h4";
  texts: boolean;
}) {
  return (
    <>
      {questions.map((q, i) => {
        const t = tallies.find((x) => x.questionId === q.id);
        if (!t) return null;
        return (
          <div key={q.id} class="stack answer-question">
            <H>{questionHeading(q, i)}</H>
            <TallyLines q={q} t={t} />
            {texts && t.texts.length > 0 && (
              <ul class="answer-texts" aria-label={lt("leader.answers.texts")}>
                {t.texts.map((x, k) => (
                  <li key={k}>{x.label ? lt("leader.answers.textBy", { label: x.label, text: x.text }) : x.text}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </>
  );
}

function BlockAnswers({
  block,
  questions,
  withTallies,
  canEnter,
  onEnter,
}: {
  block: Block;
  questions: Question[];
  withTallies: boolean;
  canEnter: boolean;
  onEnter: (h: { id: string; label: string }) => void;
}) {
  const headingId = `ans-block-${block.id}`;
  return (
    <section class="stack board-block" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1}>
        {lt("leader.answers.block", { block: block.name, answered: block.answered, targeted: block.targeted })}
      </h3>
      {block.unanswered.length === 0 ? (
        <p class="notice ok">{lt("leader.answers.allAnswered")}</p>
      ) : (
        <>
          <h4>{lt("leader.answers.unanswered", { n: block.unanswered.length })}</h4>
          <ul class="hh-list">
            {block.unanswered.map((h) => (
              <li key={h.id} class="hh unread">
                <span class="hh-name">
                  {h.label}
                  {h.householdChannel === "paper" && <span class="badge">{lt("leader.channel.paperShort")}</span>}
                </span>
                <span class="hh-status">{lt("leader.answers.unansweredStatus")}</span>
                {canEnter && (
                  <button
                    type="button"
                    class="btn hh-action"
                    aria-label={lt("leader.answers.paperLabel", { label: h.label })}
                    onClick={() => onEnter(h)}
                  >
                    {lt("leader.answers.paper")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {withTallies && (
        <details class="push-list">
          <summary>{lt("leader.answers.blockTallies", { block: block.name })}</summary>
          {block.suppressed ? (
            <p class="notice">{lt("leader.answers.suppressed")}</p>
          ) : (
            <Tallies questions={questions} tallies={block.tallies} heading="h4" texts={false} />
          )}
        </details>
      )}
      {block.answers.length > 0 && (
        <details class="push-list">
          <summary>{lt("leader.answers.answeredList", { n: block.answers.length })}</summary>
          <ul class="hh-list">
            {block.answers.map((a) => (
              <li key={a.householdId} class="hh read">
                <span class="hh-name">
                  {a.label}
                  {a.channel === "paper" && <span class="badge">{lt("leader.answers.byPaper")}</span>}
                </span>
                <span class="hh-detail">{householdAnswerWords(questions, a.value)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function AnswersSection(p: {
  circularId: string;
  answers: AnswerBoard;
  published: boolean;
  /** Households that have not answered and that a push reaches (from the receipt board). */
  reachableUnanswered: number;
  /** After a paper answer: load the board again and say so. */
  onSaved: (label: string) => Promise<void>;
  onReminded: () => void;
}) {
  const [entering, setEntering] = useState<{ id: string; label: string; blockId: string } | null>(null);
  const a = p.answers;
  const open = p.published && a.answersOpen;
  const unanswered = a.blocks.reduce((n, b) => n + b.unanswered.length, 0);

  async function saved(label: string) {
    const blockId = entering?.blockId;
    await p.onSaved(label);
    setEntering(null);
    // The household's button is gone with it: the keyboard goes on from its block.
    setTimeout(() => document.getElementById(`ans-block-${blockId}`)?.focus(), 0);
  }

  return (
    <section class="stack answers" aria-labelledby="answers-h">
      <h2 id="answers-h">{lt("leader.answers.title")}</h2>
      <p class="answer-share">{st("staff.tally.answered", { answered: a.answered, targeted: a.targeted })}</p>
      {a.anonymous && <p class="notice">{lt("leader.answers.anonymous")}</p>}
      {a.suppressed && <p class="notice">{lt("leader.answers.suppressed")}</p>}
      {p.published && !a.answersOpen && <p class="notice">{lt("leader.answers.closed")}</p>}
      <Tallies questions={a.questions} tallies={a.tallies} heading="h3" texts />
      {a.blocks.map((b) => (
        <BlockAnswers
          key={b.id}
          block={b}
          questions={a.questions}
          withTallies={a.blocks.length > 1}
          canEnter={open}
          onEnter={(h) => setEntering({ ...h, blockId: b.id })}
        />
      ))}
      {open && (
        <Reminder
          circularId={p.circularId}
          to="unanswered"
          pending={unanswered}
          reachable={p.reachableUnanswered}
          text={(name, params) => lt(`leader.answers.${name}`, params)}
          onDone={p.onReminded}
        />
      )}
      <p class="row actions">
        <a class="btn" href={`/api/circulars/${encodeURIComponent(p.circularId)}/answers?format=csv`} download>
          {lt("leader.answers.csv")}
        </a>
      </p>
      <p class="muted">{a.anonymous ? lt("leader.answers.csvHelpAnonymous") : lt("leader.answers.csvHelp")}</p>
      <PaperAnswerDialog
        circularId={p.circularId}
        questions={a.questions}
        household={entering}
        onClose={() => setEntering(null)}
        onSaved={saved}
      />
    </section>
  );
}
