// A city circular's questions, answered: how many households answered and each question's counts (the lines the
// leaders' board reads aloud, ../../staff/questions.tsx), for the whole target and by ward, district and association.
// Counts only; a group under 5 households, or with fewer than 5 answering, shows 「—」 (the server withholds it).
import { ErrorNotice, Loading } from "../../../components/Loading";
import { questionHeading, TallyLines, type Question, type QuestionCounts } from "../../staff/questions";
import { useLoad } from "../../staff/use-load";
import { answersUrl, type AnswerRow, type CircularAnswers } from "../city-api";
import { ExportLinks, type Column } from "../DataTable";
import { count } from "../format";
import { ct } from "../i18n";
import { AreaTables, countColumn } from "./AreaTables";

const counted = (tallies: QuestionCounts[], q: Question) => tallies.find((t) => t.questionId === q.id);

function answerColumns(questions: Question[]): Column<AnswerRow>[] {
  return [
    countColumn("targeted", ct("city.col.targeted"), (r) => r.targeted),
    countColumn("answered", ct("city.col.answered"), (r) => r.answered),
    ...questions.map((q, i): Column<AnswerRow> => ({
      key: q.id,
      label: questionHeading(q, i),
      cell: (r) => {
        const t = counted(r.tallies, q);
        return t ? <TallyLines q={q} t={t} /> : null;
      },
    })),
  ];
}

export function SurveyTallies({ id }: { id: string }) {
  const url = answersUrl(id);
  const { data, error, reload } = useLoad<CircularAnswers>(url);
  const total = data?.total;
  return (
    <section class="stack" aria-labelledby="survey-h">
      <h2 id="survey-h">{ct("city.survey.title")}</h2>
      <p class="muted">{ct("city.survey.lead")}</p>
      {error && <ErrorNotice message={error} onRetry={reload} />}
      {!data && !error && <Loading />}
      {data?.anonymous && <p>{ct("city.survey.anonymous")}</p>}
      {total && total.suppressed && <p class="notice">{ct("city.fig.suppressed")}</p>}
      {data && total && total.targeted !== null && total.answered !== null && (
        <>
          <p class="big-figure">
            {ct("city.survey.total", { answered: count(total.answered)!, targeted: count(total.targeted)! })}
          </p>
          {data.questions.map((q, i) => {
            const t = counted(total.tallies, q);
            return (
              t && (
                <div key={q.id} class="stack survey-question">
                  <h3>{questionHeading(q, i)}</h3>
                  <TallyLines q={q} t={t} />
                </div>
              )
            );
          })}
        </>
      )}
      {data && (
        <AreaTables<AnswerRow> id="survey" rows={data} titles="city.survey" columns={answerColumns(data.questions)} />
      )}
      {data && <ExportLinks url={url} name={`city-circular-${id}-answers`} title={ct("city.survey.title")} help />}
    </section>
  );
}
