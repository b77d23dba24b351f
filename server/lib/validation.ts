// Turns zod's issues into messages a leader can act on, in Japanese first with English alongside.
import type { z } from "zod";
import { ServiceError, type FieldError } from "./errors";

/** Japanese names of the fields people fill in, so a message says 「タイトル」 rather than "title". */
const FIELD_LABELS: Record<string, string> = {
  title: "タイトル",
  body: "本文",
  priority: "重要度",
  audience: "配布先",
  blockIds: "配布する班",
  dueAt: "確認期限",
  email: "メールアドレス",
  password: "パスワード",
  displayName: "お名前",
  label: "世帯名",
  name: "名前",
  blockId: "班",
  channel: "受け取り方",
  code: "招待コード",
  token: "招待リンク",
  role: "役割",
  householdsInArea: "区域内の世帯数",
  sortOrder: "並び順",
  limit: "件数",
  id: "ID",
  file: "ファイル",
  householdId: "世帯",
  left: "退会",
  disabled: "利用停止",
  status: "状態",
  endpoint: "通知の宛先",
  keys: "通知の鍵",
  p256dh: "通知の鍵",
  auth: "通知の鍵",
  userAgentLabel: "端末名",
  mode: "通知の受け取り方",
  target: "配布先",
  scope: "配布範囲",
  ids: "配布先",
  note: "ひとこと",
  questions: "質問",
  anonymous: "無記名",
  answers: "回答",
  answeredAt: "回答した日時",
};

/** Inside a question of a draft (questions.N.…), the same keys name the question's parts. */
const QUESTION_LABELS: Record<string, string> = {
  label: "文",
  kind: "種類",
  options: "選択肢",
  required: "必須・任意",
  unit: "単位",
  min: "最小",
  max: "最大",
};

function labelOf(path: PropertyKey[]): { ja: string; en: string } {
  const key = [...path].reverse().find((p) => typeof p === "string") as string | undefined;
  const en = path.map(String).join(".") || "request";
  if (!key) return { ja: "入力内容", en };
  // questions.1.options.0 → 「質問2の選択肢」
  if (path[0] === "questions" && typeof path[1] === "number" && key !== "questions")
    return { ja: `質問${path[1] + 1}の${QUESTION_LABELS[key] ?? key}`, en };
  return { ja: FIELD_LABELS[key] ?? key, en };
}

const MISSING = Symbol("missing");

/** The value the request had at `path`, or MISSING when there was nothing there. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return MISSING;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v === undefined ? MISSING : v;
}

/**
 * Whether the field was left out. zod 4 puts the input on an issue only when asked to (reportInput), so the
 * request's own value decides; without it, zod's message does ("..., received undefined").
 */
function isMissing(issue: z.core.$ZodIssue, input: unknown, hasInput: boolean): boolean {
  if (issue.input !== undefined) return false;
  if (hasInput) return valueAt(input, issue.path) === MISSING;
  return issue.message.endsWith("received undefined");
}

function describe(issue: z.core.$ZodIssue, input: unknown, hasInput: boolean): { ja: string; en: string } {
  const f = labelOf(issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (isMissing(issue, input, hasInput)) return { ja: `${f.ja}を入力してください。`, en: `${f.en} is required.` };
      return { ja: `${f.ja}の形式が正しくありません。`, en: `${f.en} must be of type ${issue.expected}.` };
    case "invalid_union":
      return { ja: `${f.ja}の形式が正しくありません。`, en: `${f.en} has an invalid format.` };
    case "too_small":
      if (issue.origin === "string") {
        if (Number(issue.minimum) <= 1) return { ja: `${f.ja}を入力してください。`, en: `${f.en} must not be empty.` };
        return {
          ja: `${f.ja}は${issue.minimum}文字以上で入力してください。`,
          en: `${f.en} must be at least ${issue.minimum} characters.`,
        };
      }
      if (issue.origin === "array")
        return {
          ja: `${f.ja}を${issue.minimum}つ以上選んでください。`,
          en: `Choose at least ${issue.minimum} for ${f.en}.`,
        };
      return { ja: `${f.ja}は${issue.minimum}以上にしてください。`, en: `${f.en} must be at least ${issue.minimum}.` };
    case "too_big":
      if (issue.origin === "string")
        return {
          ja: `${f.ja}は${issue.maximum}文字以内で入力してください。`,
          en: `${f.en} must be at most ${issue.maximum} characters.`,
        };
      if (issue.origin === "array")
        return { ja: `${f.ja}は${issue.maximum}つまでです。`, en: `${f.en} allows at most ${issue.maximum}.` };
      return { ja: `${f.ja}は${issue.maximum}以下にしてください。`, en: `${f.en} must be at most ${issue.maximum}.` };
    case "invalid_format":
      if (issue.format === "email")
        return {
          ja: `${f.ja}の形式が正しくありません（例: taro@example.jp）。`,
          en: `${f.en} must be an email address.`,
        };
      if (issue.format === "datetime")
        return { ja: `${f.ja}は日時の形式で指定してください。`, en: `${f.en} must be an ISO 8601 date-time.` };
      return { ja: `${f.ja}の形式が正しくありません。`, en: `${f.en} has an invalid format (${issue.format}).` };
    case "invalid_value":
      return {
        ja: `${f.ja}は次のいずれかを選んでください: ${issue.values.map(String).join("、")}。`,
        en: `${f.en} must be one of: ${issue.values.map(String).join(", ")}.`,
      };
    case "unrecognized_keys":
      return {
        ja: `使えない項目が含まれています: ${issue.keys.join("、")}。`,
        en: `Unknown field(s): ${issue.keys.join(", ")}.`,
      };
    default:
      return { ja: issue.message || `${f.ja}が正しくありません。`, en: `${f.en}: ${issue.message}` };
  }
}

/** `source.input` is what was validated (the JSON body, the query...), so a message can tell "missing" from "wrong". */
export function validationError(error: z.ZodError, source?: { input: unknown }): ServiceError {
  const fields: FieldError[] = error.issues.map((issue) => {
    const d = describe(issue, source?.input, source !== undefined);
    return { path: issue.path.map(String).join("."), message: d.ja, messageEn: d.en };
  });
  const first = fields[0];
  return new ServiceError(
    "validation_failed",
    first ? `入力内容を確認してください。${first.message}` : "入力内容を確認してください。",
    first ? `Please check your input. ${first.messageEn}` : "Please check your input.",
    { fields },
  );
}
