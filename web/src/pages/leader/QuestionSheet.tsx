// A circular's questions written out as on paper: each with its words, 必須 or 任意, and a box (☐) for every choice,
// 「人数 ＿＿人」 for 出席, a blank for a number, lines for a short text. The preview shows the questions this way (as
// text) and each paper household's answer slip prints them (print/AnswerSlip.tsx).
import type { Question } from "../staff/questions";
import { lt } from "./i18n";

function Box() {
  return (
    <span class="qs-box" aria-hidden="true">
      ☐
    </span>
  );
}

function rangeText(q: Question): string | null {
  const params = { min: q.min ?? "", max: q.max ?? "", unit: q.unit };
  if (q.min !== null && q.max !== null) return lt("leader.qs.range", params);
  if (q.min !== null) return lt("leader.qs.atLeast", params);
  if (q.max !== null) return lt("leader.qs.atMost", params);
  return null;
}

function Answer({ q }: { q: Question }) {
  switch (q.kind) {
    case "attendance":
    case "single":
    case "multiple": {
      const note =
        q.kind === "single"
          ? lt("leader.qs.one")
          : q.kind === "multiple"
            ? q.max === null
              ? lt("leader.qs.any")
              : lt("leader.qs.upTo", { n: q.max })
            : null;
      return (
        <>
          {note && <p class="qs-note">{note}</p>}
          <ul class="qs-options">
            {q.options.map((o) => (
              <li key={o.id}>
                <Box /> {o.label}
                {q.kind === "attendance" && o.id === "attend" && (
                  <span class="qs-people">{lt("leader.qs.people")}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      );
    }
    case "number": {
      const range = rangeText(q);
      return (
        <p class="qs-blank">
          {lt("leader.qs.blank")} {q.unit}
          {range && <span class="qs-note"> {lt("leader.qs.rangeNote", { range })}</span>}
        </p>
      );
    }
    case "text":
      return (
        <>
          <p class="qs-note">{lt("leader.qs.text")}</p>
          <div class="qs-lines" aria-hidden="true">
            <span />
            <span />
          </div>
        </>
      );
  }
}

export function QuestionSheet({ questions, anonymous }: { questions: Question[]; anonymous: boolean }) {
  return (
    <div class="stack question-sheet">
      {anonymous && <p>{lt("leader.qs.anonymous")}</p>}
      <ol class="qs-list">
        {questions.map((q) => (
          <li key={q.id} class="qs-item">
            <p class="qs-label">
              <strong>{q.label}</strong>{" "}
              <span class="qs-note">{q.required ? lt("leader.qs.required") : lt("leader.qs.optional")}</span>
            </p>
            <Answer q={q} />
          </li>
        ))}
      </ol>
    </div>
  );
}
