// Whom a circular's push reaches, said once for the three places that need it: sending (outbox.ts), the leader's
// push figures (reminders.service.ts) and the receipt board, which offers 「未確認の世帯に再通知」 only when an unread
// household can receive it (receipts.service.ts). A household is reached through a subscribed device of one of its
// members (not disabled), in its own association, whose preference lets this circular through.
import { sql, type Column, type SQL } from "drizzle-orm";
import { members, pushPreferences, pushSubscriptions } from "../../db/schema";

/** A member's preference (`mode`; null when never set, which means 'all') lets a circular's push through. */
export function preferenceAllows(mode: SQL, urgent: boolean): SQL {
  return sql`coalesce(${mode}, 'all') IN ('all', ${urgent ? "urgent" : "all"})`;
}

/** 1 when a push for a circular (`urgent` or not) would reach the household now, else 0. */
export function householdReachable(household: { id: Column; associationId: Column }, urgent: boolean): SQL<number> {
  return sql<number>`EXISTS (SELECT 1 FROM ${members} rm
    JOIN ${pushSubscriptions} rs ON rs.member_id = rm.id AND rs.association_id = rm.association_id
    LEFT JOIN ${pushPreferences} rp ON rp.member_id = rm.id
    WHERE rm.household_id = ${household.id} AND +rm.association_id = ${household.associationId}
      AND rm.disabled_at IS NULL AND ${preferenceAllows(sql`rp.mode`, urgent)})`;
}
