// Questions on circulars and the households' answers: composing questions, answering from the app (which also
// acknowledges), validation naming the question, closing at the due date, withdrawal, paper answers by block leaders,
// 無記名, tallies equal to a brute-force recount, and two members of one household answering at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { draft, publish, publishDraft, world, type Api, type World } from "../helpers/flows";
import { client, expectError } from "../helpers/http";
import { sql } from "drizzle-orm";
import { rebuildTallies, recountRows } from "../../server/features/answers/tallies";

let t: TestApp;
const START = new Date("2026-11-02T09:00:00+09:00");
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date(START);
});
afterAll(() => t.close());

const QUESTIONS = [
  { kind: "attendance", label: "清掃に出られますか" },
  { kind: "single", label: "集合場所", options: ["集会所", "公園"] },
  { kind: "multiple", label: "持ってくる道具", options: ["軍手", "ほうき", "ごみ袋"], max: 2, required: false },
  { kind: "number", label: "敬老会の参加人数", unit: "人", min: 0, max: 10, required: false },
  { kind: "text", label: "ご意見", required: false },
];

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

/** The kept tallies of a circular, without zero rows, sorted: what recountRows must equal. */
async function kept(circularId: string) {
  const r = await t.client.execute({
    sql: `SELECT block_id, question_id, choice, households, amount FROM answer_tallies
          WHERE circular_id = ? AND households <> 0 ORDER BY 1, 2, 3`,
    args: [circularId],
  });
  return r.rows.map((x) => [x.block_id, x.question_id, x.choice, Number(x.households), Number(x.amount)]);
}
async function recount(circularId: string) {
  const rows = await recountRows(t.db, circularId);
  return rows
    .map((x) => [x.blockId, x.questionId, x.choice, Number(x.households), Number(x.amount)])
    .sort((a, b) => String(a.slice(0, 3)).localeCompare(String(b.slice(0, 3))));
}

interface Setup extends World {
  circularId: string;
  residents: { member: MemberFixture; api: Api; householdId: string; blockId: string }[];
}

async function setup(input: Record<string, unknown> = {}, opts: { blocks?: number; perBlock?: number } = {}) {
  const w = await world(t, { blocks: opts.blocks ?? 2, perBlock: opts.perBlock ?? 3 });
  const circularId = await publish(w.api, { title: "側溝清掃", questions: QUESTIONS, ...input });
  const residents = [];
  for (const h of w.assoc.households) {
    const member = await makeResident(t, w.assoc.id, h.id);
    residents.push({ member, api: client(t, member.token), householdId: h.id, blockId: h.blockId });
  }
  return { ...w, circularId, residents } as Setup;
}

const attend = (people: number) => ({ q1: { choice: "attend", people }, q2: { choice: "o1" } });

describe("composing questions", () => {
  it("a draft takes up to 10 questions with ids by position; they come back on the draft and freeze on publishing", async () => {
    const w = await world(t);
    const d = await draft(w.api, { questions: QUESTIONS, anonymous: true });
    expect(d.anonymous).toBe(true);
    expect(d.questions.map((q: { id: string }) => q.id)).toEqual(["q1", "q2", "q3", "q4", "q5"]);
    expect(d.questions[0]).toMatchObject({
      kind: "attendance",
      required: true,
      options: [
        { id: "attend", label: "出席" },
        { id: "absent", label: "欠席" },
        { id: "undecided", label: "未定" },
      ],
      min: 1,
      max: 20,
      unit: "人",
    });
    expect(d.questions[2]).toMatchObject({ kind: "multiple", required: false, max: 2 });
    expect(d.questions[2].options.map((o: { id: string }) => o.id)).toEqual(["o1", "o2", "o3"]);

    // 「質問を追加」 on a saved draft
    const edited = await w.api.patch(`/api/circulars/${d.id}`, {
      questions: [...QUESTIONS, { kind: "text", label: "その他" }],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.questions).toHaveLength(6);

    const tooMany = await w.api.patch(`/api/circulars/${d.id}`, {
      questions: Array.from({ length: 11 }, (_, i) => ({ kind: "text", label: `質問${i}` })),
    });
    expectError(tooMany, 400, "validation_failed");
    const oneOption = await w.api.patch(`/api/circulars/${d.id}`, {
      questions: [{ kind: "single", label: "どちら", options: ["はい"] }],
    });
    expectError(oneOption, 400, "validation_failed");
    const same = await w.api.patch(`/api/circulars/${d.id}`, {
      questions: [{ kind: "single", label: "どちら", options: ["はい", "はい"] }],
    });
    expectError(same, 400, "validation_failed");
    expect(same.body.error.message).toContain("同じ選択肢");
    // zod's own checks name the question's part, not a household's 「世帯名」.
    const noLabel = await w.api.patch(`/api/circulars/${d.id}`, {
      questions: [QUESTIONS[0], { kind: "text", label: "" }],
    });
    expectError(noLabel, 400, "validation_failed");
    expect(noLabel.body.error.fields[0]).toMatchObject({
      path: "questions.1.label",
      message: "質問2の文を入力してください。",
    });

    await publishDraft(w.api, d.id);
    const frozen = await w.api.patch(`/api/circulars/${d.id}`, { questions: [] });
    expectError(frozen, 409, "conflict");
    const after = await w.api.get(`/api/circulars/${d.id}`);
    expect(after.body.questions).toHaveLength(6);
  });
});

describe("answering from the app", () => {
  it("an answer is stored, acknowledges the circular, shows on the feed and can be changed", async () => {
    const s = await setup();
    const r = s.residents[0]!;
    const before = await r.api.get("/api/feed");
    expect(before.body.circulars[0]).toMatchObject({ id: s.circularId, needsAnswer: true, readAt: null });

    const res = await r.api.post(`/api/feed/${s.circularId}/answer`, {
      answers: {
        ...attend(2),
        q3: { choices: ["o3", "o1"] },
        q4: { number: 3 },
        q5: { text: "  よろしくお願いします " },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.accepted).toBe(true);
    expect(res.body.answer.value).toEqual({
      q1: { choice: "attend", people: 2 },
      q2: { choice: "o1" },
      q3: { choices: ["o1", "o3"] },
      q4: { number: 3 },
      q5: { text: "よろしくお願いします" },
    });
    expect(res.body.answer.channel).toBe("app");
    expect(res.body.readAt).not.toBeNull();

    const feed = await r.api.get("/api/feed");
    expect(feed.body.circulars[0]).toMatchObject({ id: s.circularId, needsAnswer: false });
    expect(feed.body.circulars[0].readAt).not.toBeNull();
    const item = await r.api.get(`/api/feed/${s.circularId}`);
    expect(item.body.answer.value.q1).toEqual({ choice: "attend", people: 2 });
    expect(item.body.answersOpen).toBe(true);

    // 「回答を変える」
    t.clock.advance(60_000);
    const changed = await r.api.post(`/api/feed/${s.circularId}/answer`, {
      answers: { q1: { choice: "absent" }, q2: { choice: "o2" } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.answer.value).toEqual({ q1: { choice: "absent" }, q2: { choice: "o2" } });
    expect(await scalar("SELECT count(*) FROM answers WHERE circular_id = ?", [s.circularId])).toBe(1);

    const board = await s.api.get(`/api/circulars/${s.circularId}/answers`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    expect(board.body.answered).toBe(1);
    const q1 = board.body.tallies.find((q: { questionId: string }) => q.questionId === "q1");
    expect(q1.options.map((o: { households: number }) => o.households)).toEqual([0, 1, 0]);
    expect(await kept(s.circularId)).toEqual(await recount(s.circularId));
  });

  it("a wrong answer is refused naming the question, and nothing is written", async () => {
    const s = await setup();
    const r = s.residents[0]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ q1: { choice: "attend" }, q2: { choice: "o1" } }, "人数を選んでください"],
      [{ q1: { choice: "attend", people: 21 }, q2: { choice: "o1" } }, "人数は1〜20人"],
      [{ q1: { choice: "maybe" }, q2: { choice: "o1" } }, "選択肢から選んでください"],
      [{ q2: { choice: "o1" } }, "出席・欠席・未定から選んでください"],
      [{ ...attend(1), q2: { choice: "o9" } }, "質問2「集合場所」"],
      [{ ...attend(1), q3: { choices: ["o1", "o2", "o3"] } }, "選べるのは2つまで"],
      [{ ...attend(1), q4: { number: 11 } }, "0人から10人まで"],
      [{ ...attend(1), q4: { number: 1.5 } }, "整数で"],
      [{ ...attend(1), q5: { text: "あ".repeat(201) } }, "200文字以内"],
      [{ ...attend(1), q9: { text: "x" } }, "この回覧にない質問"],
      [{ ...attend(1), q4: { text: "3" } }, "回答の形が質問と合いません"],
    ];
    for (const [answers, message] of cases) {
      const res = await r.api.post(`/api/feed/${s.circularId}/answer`, { answers });
      expectError(res, 400, "validation_failed");
      expect(res.body.error.message, JSON.stringify(answers)).toContain(message);
      expect(res.body.error.fields.length).toBeGreaterThan(0);
    }
    expect(await scalar("SELECT count(*) FROM answers WHERE circular_id = ?", [s.circularId])).toBe(0);
    expect(
      await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND read_at IS NOT NULL", [s.circularId]),
    ).toBe(0);
    expect(await kept(s.circularId)).toEqual([]);
    const bad = await r.api.post(`/api/feed/${s.circularId}/answer`, { answers: "出席" });
    expectError(bad, 400, "validation_failed");
  });

  it("after the due date: 締め切りました (409); a withdrawn circular: 409; another association's: 404", async () => {
    const s = await setup({ dueAt: new Date(START.getTime() + 2 * DAY).toISOString() });
    const r = s.residents[0]!;
    const ok = await r.api.post(`/api/feed/${s.circularId}/answer`, { answers: attend(1) });
    expect(ok.status).toBe(200);
    t.clock.advance(3 * DAY);
    const late = await r.api.post(`/api/feed/${s.circularId}/answer`, { answers: attend(2) });
    expectError(late, 409, "conflict");
    expect(late.body.error.message).toContain("締め切りました");
    expect((await r.api.get(`/api/feed/${s.circularId}`)).body.answersOpen).toBe(false);

    const other = await setup();
    const withdrawn = await other.api.post(`/api/circulars/${other.circularId}/withdraw`);
    expect(withdrawn.status).toBe(200);
    const res = await other.residents[0]!.api.post(`/api/feed/${other.circularId}/answer`, { answers: attend(1) });
    expectError(res, 409, "conflict");
    expect(res.body.error.message).toContain("取り下げ");

    const third = await setup();
    const foreign = await r.api.post(`/api/feed/${third.circularId}/answer`, { answers: attend(1) });
    expectError(foreign, 404, "not_found");
    expect(await scalar("SELECT count(*) FROM answers WHERE circular_id = ?", [third.circularId])).toBe(0);
    t.clock.current = new Date(START);
  });

  it("two members of one household answering at once leave one answer and one acknowledgement", async () => {
    const s = await setup();
    const h = s.residents[0]!;
    const second = client(t, (await makeResident(t, s.assoc.id, h.householdId)).token);
    const [a, b] = await Promise.all([
      h.api.post(`/api/feed/${s.circularId}/answer`, { answers: attend(2) }),
      second.post(`/api/feed/${s.circularId}/answer`, { answers: { q1: { choice: "absent" }, q2: { choice: "o2" } } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(
      await scalar("SELECT count(*) FROM answers WHERE circular_id = ? AND household_id = ?", [
        s.circularId,
        h.householdId,
      ]),
    ).toBe(1);
    expect(
      await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND read_at IS NOT NULL", [s.circularId]),
    ).toBe(1);
    expect(await kept(s.circularId)).toEqual(await recount(s.circularId));
    // Both were told the same stored answer; exactly one of them was accepted.
    expect(a.body.answer).toEqual(b.body.answer);
    expect([a.body.accepted, b.body.accepted].filter(Boolean)).toHaveLength(1);
  });

  it("an offline answer made earlier than another member's later answer is not applied, and says so", async () => {
    const s = await setup();
    const h = s.residents[0]!;
    const second = client(t, (await makeResident(t, s.assoc.id, h.householdId)).token);
    const made = new Date(t.clock.now().getTime() - 10 * 60_000).toISOString();
    const now = await second.post(`/api/feed/${s.circularId}/answer`, { answers: attend(3) });
    expect(now.body.accepted).toBe(true);
    const queued = await h.api.post(`/api/feed/${s.circularId}/answer`, {
      answers: { q1: { choice: "absent" }, q2: { choice: "o2" } },
      answeredAt: made,
    });
    expect(queued.status).toBe(200);
    expect(queued.body.accepted).toBe(false);
    expect(queued.body.answer.value.q1).toEqual({ choice: "attend", people: 3 });
  });
});

describe("paper answers and the board", () => {
  it("a block leader enters a paper answer for their block only; audited; the board tallies it", async () => {
    const s = await setup();
    const block1 = s.assoc.blockIds[0]!;
    const bl = client(t, (await makeStaff(t, s.assoc.id, { role: "block_leader", blockId: block1 })).token);
    const mine = s.assoc.households.find((h) => h.blockId === block1)!;
    const other = s.assoc.households.find((h) => h.blockId !== block1)!;
    const res = await bl.put(`/api/circulars/${s.circularId}/answers/${mine.id}/paper`, { answers: attend(4) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.answer.channel).toBe("paper");
    expect(res.body.readAt).not.toBeNull();
    const notMine = await bl.put(`/api/circulars/${s.circularId}/answers/${other.id}/paper`, { answers: attend(1) });
    expectError(notMine, 404, "not_found");
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'answer.paper' AND target_id = ?", [s.circularId]),
    ).toBe(1);
    expect(
      await scalar("SELECT channel = 'paper' FROM receipts WHERE circular_id = ? AND household_id = ?", [
        s.circularId,
        mine.id,
      ]),
    ).toBe(1);

    const board = (await bl.get(`/api/circulars/${s.circularId}/answers`)).body;
    expect(board.blocks.map((b: { id: string }) => b.id)).toEqual([block1]);
    expect(board.answered).toBe(1);
    const q1 = board.tallies[0];
    expect(q1.options[0]).toMatchObject({ id: "attend", label: "出席", households: 1, amount: 4 });
    expect(board.blocks[0].answers[0]).toMatchObject({ householdId: mine.id, channel: "paper" });
    expect(board.blocks[0].unanswered.map((h: { id: string }) => h.id)).not.toContain(mine.id);

    const leaderView = (await s.api.get(`/api/circulars/${s.circularId}/answers`)).body;
    expect(leaderView.blocks).toHaveLength(2);
    expect(leaderView.targeted).toBe(6);
  });

  it("無記名: no route returns which household answered what; tallies of fewer than 5 are withheld", async () => {
    const s = await setup({ anonymous: true }, { blocks: 2, perBlock: 4 });
    const texts = ["賛成です", "反対です", "どちらでも", "特になし", "よろしく", "了解"];
    for (const [i, r] of s.residents.slice(0, 6).entries())
      expect(
        (
          await r.api.post(`/api/feed/${s.circularId}/answer`, {
            answers: { ...attend(1 + i), q5: { text: texts[i] } },
          })
        ).status,
      ).toBe(200);
    const board = (await s.api.get(`/api/circulars/${s.circularId}/answers`)).body;
    expect(board.anonymous).toBe(true);
    expect(board.answered).toBe(6);
    expect(board.suppressed).toBe(false);
    expect(board.tallies[0].options[0]).toMatchObject({ households: 6, amount: 21 });
    const q5 = board.tallies.find((q: { questionId: string }) => q.questionId === "q5");
    expect(q5.texts.every((x: { label: string | null }) => x.label === null)).toBe(true);
    expect(q5.texts.map((x: { text: string }) => x.text)).toEqual([...texts].sort((a, b) => a.localeCompare(b, "ja")));
    for (const b of board.blocks) {
      expect(b.answers).toEqual([]);
      // 4 and 2 answered: both under 5, so no block's tallies
      expect(b.suppressed).toBe(true);
      expect(b.tallies).toEqual([]);
    }
    // Who has answered stays visible, for reminders.
    expect(board.blocks.flatMap((b: { unanswered: unknown[] }) => b.unanswered)).toHaveLength(2);
    // A paper answer of a 無記名 circular: recorded and tallied, but not answered back, and not in the audit row.
    const paperHousehold = s.assoc.households[7]!;
    const paper = await s.api.put(`/api/circulars/${s.circularId}/answers/${paperHousehold.id}/paper`, {
      answers: { ...attend(3), q5: { text: "紙の秘密" } },
    });
    expect(paper.status, JSON.stringify(paper.body)).toBe(200);
    expect(paper.body.answer.value).toEqual({});
    const detail = await t.client.execute({
      sql: "SELECT detail FROM audit_log WHERE action = 'answer.paper' AND target_id = ?",
      args: [s.circularId],
    });
    expect(String(detail.rows[0]!.detail)).not.toContain("秘密");
    expect(String(detail.rows[0]!.detail)).not.toContain("attend");
    const after = (await s.api.get(`/api/circulars/${s.circularId}/answers`)).body;
    expect(after.answered).toBe(7);
    expect(JSON.stringify(after)).not.toContain(paperHousehold.id + '","value');
    // Households' own answers stay theirs.
    expect((await s.residents[0]!.api.get(`/api/feed/${s.circularId}`)).body.answer.value.q5).toEqual({
      text: texts[0],
    });

    // Every route that returns answers is one of those checked here (a new one must be added to this test): the
    // board (JSON and CSV) and the paper entry above, the household's own (feed item, its answer), the city's.
    const doc = (await s.api.get("/api/openapi.json")).body as { paths: Record<string, unknown> };
    expect(
      Object.keys(doc.paths)
        .filter((p) => /answer/.test(p))
        .sort(),
    ).toEqual([
      "/api/circulars/{id}/answers",
      "/api/circulars/{id}/answers/{householdId}/paper",
      "/api/city/circulars/{id}/answers",
      "/api/feed/{id}/answer",
    ]);
    // The household's own answer route tells only that household its own answer.
    const other = await s.residents[1]!.api.post(`/api/feed/${s.circularId}/answer`, { answers: attend(1) });
    expect(other.body.answer.value.q5).toBeUndefined();
  });
});

describe("tallies", () => {
  it("equal a brute-force recount over randomised answer histories", async () => {
    for (const seed of [1, 2, 3]) {
      let x = seed * 7919;
      const rnd = (n: number) => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x % n;
      };
      const s = await setup({}, { blocks: 3, perBlock: 4 });
      const bl = client(t, (await makeStaff(t, s.assoc.id)).token);
      const answerFor = () => {
        const a: Record<string, unknown> = {};
        const k = rnd(3);
        a.q1 = k === 0 ? { choice: "attend", people: 1 + rnd(20) } : { choice: k === 1 ? "absent" : "undecided" };
        a.q2 = { choice: `o${1 + rnd(2)}` };
        if (rnd(2)) a.q3 = { choices: ["o1", "o2", "o3"].filter(() => rnd(2)).slice(0, 2) };
        if (rnd(2)) a.q4 = { number: rnd(11) };
        if (rnd(3) === 0) a.q5 = { text: `意見${rnd(100)}` };
        return a;
      };
      for (let step = 0; step < 40; step++) {
        // Late households: one joins at steps 10 and 25, gets a receipt of the open circular and answers too.
        if (step === 10 || step === 25) {
          const blockId = s.assoc.blockIds[rnd(s.assoc.blockIds.length)]!;
          const created = await s.api.post("/api/households", { label: `新しい世帯${seed}-${step}`, blockId });
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          const member = await makeResident(t, s.assoc.id, created.body.id);
          s.residents.push({ member, api: client(t, member.token), householdId: created.body.id, blockId });
        }
        const burst = Array.from({ length: 1 + rnd(5) }, () => s.residents[rnd(s.residents.length)]!);
        await Promise.all(
          burst.map((r) =>
            rnd(5) === 0
              ? bl.put(`/api/circulars/${s.circularId}/answers/${r.householdId}/paper`, { answers: answerFor() })
              : r.api.post(`/api/feed/${s.circularId}/answer`, { answers: answerFor() }),
          ),
        );
        t.clock.advance(1000);
      }
      expect(await kept(s.circularId)).toEqual(await recount(s.circularId));
      // Rebuilding from the answers (the bench's synthetic city, a repair) writes the same tallies.
      const keptBefore = await kept(s.circularId);
      await rebuildTallies(t.db, sql`c.id = ${s.circularId}`);
      expect(await kept(s.circularId)).toEqual(keptBefore);
      const answered = await scalar("SELECT count(*) FROM answers WHERE circular_id = ?", [s.circularId]);
      const board = (await s.api.get(`/api/circulars/${s.circularId}/answers`)).body;
      expect(board.answered).toBe(answered);
      expect(board.targeted).toBe(s.residents.length);
      // Each block's tallies (counted from its answers, not kept) equal a brute-force count per block.
      const perBlock = await t.client.execute({
        sql: `SELECT a.block_id AS b, j.key AS item, count(*) AS n, sum(j.value) AS amount
              FROM answers a, json_each(a.items) j WHERE a.circular_id = ? GROUP BY 1, 2`,
        args: [s.circularId],
      });
      const brute = new Map(perBlock.rows.map((r) => [`${r.b}|${r.item}`, [Number(r.n), Number(r.amount)]]));
      const count = (b: string, q: string, c: string) => brute.get(`${b}|${q}|${c}`) ?? [0, 0];
      let compared = 0;
      for (const b of board.blocks as {
        id: string;
        tallies: {
          questionId: string;
          answered: number;
          sum: number | null;
          options: { id: string; households: number; amount: number }[];
        }[];
      }[]) {
        for (const q of b.tallies) {
          expect(q.answered).toBe(count(b.id, q.questionId, "*")[0]);
          if (q.sum !== null) expect(q.sum).toBe(count(b.id, q.questionId, "")[1]);
          for (const o of q.options) {
            expect([o.households, o.amount]).toEqual(count(b.id, q.questionId, o.id));
            compared += o.households;
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
      // Withdrawn: answers are refused and change nothing; the tallies still equal the recount.
      expect((await s.api.post(`/api/circulars/${s.circularId}/withdraw`)).status).toBe(200);
      const before = await kept(s.circularId);
      const refused = await Promise.all(
        s.residents.slice(0, 3).map((r) => r.api.post(`/api/feed/${s.circularId}/answer`, { answers: answerFor() })),
      );
      for (const r of refused) expectError(r, 409, "conflict");
      expect(await kept(s.circularId)).toEqual(before);
      expect(before).toEqual(await recount(s.circularId));
    }
  });
});

describe("exports and the city's survey", () => {
  it("a leader's CSV has one row per household (無記名: tallies only, no household)", async () => {
    const s = await setup();
    await s.residents[0]!.api.post(`/api/feed/${s.circularId}/answer`, {
      answers: { ...attend(2), q3: { choices: ["o1", "o2"] }, q5: { text: "雨なら, 中止?" } },
    });
    const res = await s.api.get(`/api/circulars/${s.circularId}/answers?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const raw = await t.app.request(`/api/circulars/${s.circularId}/answers?format=csv`, {
      headers: { cookie: `kairan_session=${s.leader.token}` },
    });
    expect(Array.from(new Uint8Array(await raw.arrayBuffer()).subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM.
    const lines = (res.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "班,世帯,回答方法,回答日時,質問1 清掃に出られますか,質問1 清掃に出られますか（人数）,質問2 集合場所,質問3 持ってくる道具,質問4 敬老会の参加人数（人）,質問5 ご意見",
    );
    expect(lines[1]).toBe("block,household,channel,answeredAt,q1,q1.people,q2,q3,q4,q5");
    expect(lines).toHaveLength(2 + 6);
    const first = s.assoc.households[0]!;
    expect(lines.find((l) => l.includes(first.label))).toMatch(
      /,アプリ,.*,出席,2,集会所,軍手、ほうき,,"雨なら, 中止\?"$/,
    );
    expect(lines.filter((l) => l.includes("未回答"))).toHaveLength(5);

    const anon = await setup({ anonymous: true });
    await anon.residents[0]!.api.post(`/api/feed/${anon.circularId}/answer`, { answers: attend(2) });
    const csv = (await anon.api.get(`/api/circulars/${anon.circularId}/answers?format=csv`)).body as string;
    for (const h of anon.assoc.households) expect(csv).not.toContain(h.label);
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[1]!.split(",").slice(0, 6)).toEqual([
      "scope",
      "targeted",
      "answered",
      "q1.answered",
      "q1.attend",
      "q1.attend.people",
    ]);
    // one answer of 6: withheld (—)
    expect(rows[2]!.startsWith("全体,6,—,—")).toBe(true);
  });

  it("a city survey: tallies per area from the copies, none under 5 answering households, no household or text", async () => {
    const cityStaff = client(t, (await makeStaff(t, null, { role: "city" })).token);
    const big = await world(t, { blocks: 2, perBlock: 4 });
    const small = await world(t, { blocks: 1, perBlock: 3 });
    const d = await cityStaff.post("/api/city/circulars", {
      title: "防犯灯アンケート",
      body: "防犯灯についてお聞きします。",
      target: { scope: "associations", ids: [big.assoc.id, small.assoc.id] },
      questions: [
        { kind: "attendance", label: "説明会に出られますか" },
        { kind: "text", label: "場所", required: false },
      ],
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body.questions).toHaveLength(2);
    expect((await cityStaff.post(`/api/city/circulars/${d.body.id}/publish`)).status).toBe(200);
    const answerAll = async (w: World, n: number) => {
      for (const h of w.assoc.households.slice(0, n)) {
        const r = client(t, (await makeResident(t, w.assoc.id, h.id)).token);
        const copy = (await r.get("/api/feed")).body.circulars[0];
        expect(copy.origin).toBe("city");
        const res = await r.post(`/api/feed/${copy.id}/answer`, {
          answers: { q1: { choice: "attend", people: 2 }, q2: { text: `公園の角 ${h.label}` } },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    };
    await answerAll(big, 6);
    await answerAll(small, 3);
    // The leader sees their association's tallies and, since it is not 無記名, who answered what.
    const copyId = (await big.api.get("/api/circulars")).body.circulars[0].id;
    const leaderBoard = (await big.api.get(`/api/circulars/${copyId}/answers`)).body;
    expect(leaderBoard.answered).toBe(6);
    expect(leaderBoard.blocks[0].answers.length).toBeGreaterThan(0);

    const res = await cityStaff.get(`/api/city/circulars/${d.body.id}/answers`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = res.body;
    expect(f.total).toMatchObject({ associations: 2, suppressed: false, targeted: 11, answered: 9 });
    expect(f.total.tallies[0].options[0]).toMatchObject({ id: "attend", households: 9, amount: 18 });
    const byName = Object.fromEntries(f.associations.map((a: { name: string }) => [a.name, a]));
    expect(byName[big.assoc.name]).toMatchObject({ suppressed: false, answered: 6 });
    expect(byName[small.assoc.name]).toMatchObject({ suppressed: true, answered: null, tallies: [] });
    const json = JSON.stringify(f);
    for (const h of [...big.assoc.households, ...small.assoc.households]) {
      expect(json).not.toContain(h.id);
      expect(json).not.toContain(h.label);
    }
    expect(json).not.toContain("公園の角");
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.figures' AND target_id = ?", [
        d.body.id,
      ]),
    ).toBe(1);

    const csv = await cityStaff.get(`/api/city/circulars/${d.body.id}/answers?format=csv`);
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).trimEnd().split("\r\n");
    expect(lines[1]).toBe(
      "level,name,wardName,districtName,targeted,answered,q1.answered,q1.attend,q1.attend.people,q1.absent,q1.undecided,q2.answered",
    );
    expect(lines[2]).toBe(`合計,防犯灯アンケート,,,11,9,9,9,18,0,0,9`);
    expect(lines.find((l) => l.includes(small.assoc.name))).toMatch(/,—,—,—,—,—,—,—,—$/);
    expect(csv.body as string).not.toContain("公園の角");
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.export' AND target_id = ?", [d.body.id]),
    ).toBe(1);
  });
});
