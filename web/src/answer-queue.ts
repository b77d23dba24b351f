// 「回答する」 without a connection: the answer waits on the device like an acknowledgement (send-queue.ts) and is
// sent when the connection returns, saying when it was made, so that a later answer by another member of the
// household wins (the server then keeps theirs and says accepted: false). What waits: circular id -> the answer.
import { api, type AnswerResult, type AnswerValues } from "./api";
import { createSendQueue, type Sent } from "./send-queue";

export interface QueuedAnswer {
  answers: AnswerValues;
  /** When 「回答する」 was tapped (ISO). */
  answeredAt: string;
}

const isQueuedAnswer = (raw: unknown): raw is QueuedAnswer =>
  !!raw &&
  typeof raw === "object" &&
  typeof (raw as QueuedAnswer).answeredAt === "string" &&
  !!(raw as QueuedAnswer).answers &&
  typeof (raw as QueuedAnswer).answers === "object";

const answers = createSendQueue<QueuedAnswer, AnswerResult>({
  key: "kairan.pendingAnswers",
  parse: (raw) => (isQueuedAnswer(raw) ? raw : undefined),
  madeAt: (a) => a.answeredAt,
  async post(id, a, late, signal) {
    // The first try goes as made now (the server's clock); a later one says when it was made.
    const r = await api<AnswerResult>(`/api/feed/${encodeURIComponent(id)}/answer`, {
      method: "POST",
      json: late ? a : { answers: a.answers },
      signal,
    });
    // A try whose reply was lost may have been stored already (at the server's later time): then "not accepted"
    // comes back with this very answer. The answers are compared as stored: the form sends them checked and
    // normalised by the server's own rules (answer-rules.ts).
    return !r.accepted && JSON.stringify(r.answer.value) === JSON.stringify(a.answers) ? { ...r, accepted: true } : r;
  },
});

/** circular id -> the answer waiting to be sent. */
export const pendingAnswers = answers.pending;
/** circular id -> how this tab's last send of its answer ended (accepted: false is told to the resident). */
export const answerOutcomes = answers.outcomes;

/** Sends the household's answer now, or keeps it on the device to send when the connection returns. */
export function submitAnswer(id: string, values: AnswerValues): Promise<Sent<AnswerResult>> {
  return answers.submit(id, { answers: values, answeredAt: new Date().toISOString() });
}

export const startAnswerQueue = answers.start;
