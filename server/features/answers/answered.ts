// "This household has answered this circular": the one condition the push outbox (answer reminders: whom to queue,
// whom to skip), the reminder counts and the household feed (「回答してください」) share.
import { sql, type SQL } from "drizzle-orm";
import { answers } from "../../db/schema";

/** 1 when an answer is stored for the circular and household the two SQL expressions name. */
export function hasAnswered(circularId: SQL, householdId: SQL): SQL<number> {
  return sql<number>`EXISTS (SELECT 1 FROM ${answers} an WHERE an.circular_id = ${circularId} AND an.household_id = ${householdId})`;
}
