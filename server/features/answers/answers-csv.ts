// Answers as CSV that opens in Excel (city/csv.ts: UTF-8 with BOM, Japanese headers, a row of English codes): one
// row per household for a leader (「回答の一覧」), or the tallies only (無記名, and the city's survey figures). The
// columns follow the questions; their codes name the answer's place in the JSON (q1, q1.people, q1.attend …).
import type { CsvColumn } from "../city/csv";
import type { AnswerValues, Question } from "./questions";
import type { Tally } from "./tallies";

type Cells = Record<string, string | number | null>;

/** Columns of a household's answer: one per question (出欠 also 人数). */
export function answerColumns(questions: Question[]): CsvColumn<Cells>[] {
  return questions.flatMap((q, i) => {
    const head = `質問${i + 1} ${q.label}`;
    return q.kind === "attendance"
      ? [
          { code: q.id, ja: head },
          { code: `${q.id}.people`, ja: `${head}（人数）` },
        ]
      : [{ code: q.id, ja: q.kind === "number" && q.unit ? `${head}（${q.unit}）` : head }];
  });
}

/** A household's answer in those columns: option labels (several joined with 「、」), numbers, text. */
export function answerCells(questions: Question[], value: AnswerValues): Cells {
  const cells: Cells = {};
  for (const q of questions) {
    const a = value[q.id];
    const label = (id: string) => q.options.find((o) => o.id === id)?.label ?? id;
    cells[q.id] = "";
    if (q.kind === "attendance") cells[`${q.id}.people`] = "";
    if (!a) continue;
    if ("choice" in a) {
      cells[q.id] = label(a.choice);
      if (q.kind === "attendance") cells[`${q.id}.people`] = a.people ?? "";
    } else if ("choices" in a) cells[q.id] = a.choices.map(label).join("、");
    else if ("number" in a) cells[q.id] = a.number;
    else cells[q.id] = a.text;
  }
  return cells;
}

/** Columns of the tallies: per question the households that answered, per option its households (出席 also 人数),
 *  the sum of a number question. */
export function tallyColumns(questions: Question[]): CsvColumn<Cells>[] {
  return questions.flatMap((q, i) => {
    const head = `質問${i + 1} ${q.label}`;
    return [
      { code: `${q.id}.answered`, ja: `${head}：回答世帯数` },
      ...q.options.flatMap((o) => [
        { code: `${q.id}.${o.id}`, ja: `${head}：${o.label}（世帯）` },
        ...(q.kind === "attendance" && o.id === "attend"
          ? [{ code: `${q.id}.${o.id}.people`, ja: `${head}：${o.label}（人数）` }]
          : []),
      ]),
      ...(q.kind === "number" ? [{ code: `${q.id}.sum`, ja: `${head}：合計${q.unit ? `（${q.unit}）` : ""}` }] : []),
    ];
  });
}

/** Tallies in those columns; null (「—」) for every cell of a suppressed group. */
export function tallyCells(questions: Question[], tallies: Tally["questions"] | null): Cells {
  const cells: Cells = {};
  for (const q of questions) {
    const t = tallies?.find((x) => x.questionId === q.id);
    cells[`${q.id}.answered`] = t ? t.answered : null;
    for (const o of q.options) {
      const counted = t?.options.find((x) => x.id === o.id);
      cells[`${q.id}.${o.id}`] = counted ? counted.households : null;
      if (q.kind === "attendance" && o.id === "attend")
        cells[`${q.id}.${o.id}.people`] = counted ? counted.amount : null;
    }
    if (q.kind === "number") cells[`${q.id}.sum`] = t ? t.sum : null;
  }
  return cells;
}
