import { TRPCError } from "@trpc/server";
import type { Sql } from "../db/mod.ts";
import type { Matcher } from "./matchers.ts";
import type { MuteTiming, Policy, Silence } from "./routing.ts";

export type PolicyInput = Omit<Policy, "id">;

const policyColumns = (sql: Sql) =>
  sql`id::int, position, matchers, contact_point_id::int as "contactPointId", group_by as "groupBy",
      group_wait_seconds as "groupWaitSeconds", group_interval_seconds as "groupIntervalSeconds",
      repeat_interval_seconds as "repeatIntervalSeconds", continue_matching as "continueMatching",
      mute_timings as "muteTimings", is_default as "isDefault"`;

export async function listPolicies(sql: Sql): Promise<Policy[]> {
  return await sql<Policy[]>`
    select ${policyColumns(sql)} from notification_policies order by is_default, position, id`;
}

function policyConflict(error: unknown): never {
  const code = (error as { code?: string }).code;
  if (code === "23505") {
    throw new TRPCError({ code: "CONFLICT", message: "There is already a default policy" });
  }
  if (code === "23503") {
    throw new TRPCError({ code: "BAD_REQUEST", message: "That contact point does not exist" });
  }
  throw error;
}

export async function createPolicy(sql: Sql, input: PolicyInput): Promise<Policy> {
  const [row] = await sql<Policy[]>`
    insert into notification_policies (position, matchers, contact_point_id, group_by, group_wait_seconds,
      group_interval_seconds, repeat_interval_seconds, continue_matching, mute_timings, is_default)
    values (${input.position}, ${
    sql.json(input.matchers as never)
  }, ${input.contactPointId}, ${input.groupBy},
      ${input.groupWaitSeconds}, ${input.groupIntervalSeconds}, ${input.repeatIntervalSeconds},
      ${input.continueMatching}, ${sql.json(input.muteTimings as never)}, ${input.isDefault})
    returning ${policyColumns(sql)}`.catch(policyConflict);
  return row;
}

export async function updatePolicy(sql: Sql, id: number, input: PolicyInput): Promise<Policy> {
  const [row] = await sql<Policy[]>`
    update notification_policies set position = ${input.position}, matchers = ${
    sql.json(input.matchers as never)
  },
      contact_point_id = ${input.contactPointId}, group_by = ${input.groupBy},
      group_wait_seconds = ${input.groupWaitSeconds}, group_interval_seconds = ${input.groupIntervalSeconds},
      repeat_interval_seconds = ${input.repeatIntervalSeconds}, continue_matching = ${input.continueMatching},
      mute_timings = ${sql.json(input.muteTimings as never)}, is_default = ${input.isDefault}
    where id = ${id} returning ${policyColumns(sql)}`.catch(policyConflict);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Policy ${id} does not exist` });
  return row;
}

export async function deletePolicy(sql: Sql, id: number): Promise<void> {
  const rows = await sql`delete from notification_policies where id = ${id} returning id`;
  if (rows.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: `Policy ${id} does not exist` });
}

export interface SilenceRow extends Silence {
  comment: string;
  createdBy: string;
  createdAt: Date;
}

const silenceColumns = (sql: Sql) =>
  sql`id::int, matchers, starts_at as "startsAt", ends_at as "endsAt", comment, created_by as "createdBy",
      created_at as "createdAt"`;

/** Silences not yet ended at `now` (active and scheduled); ended ones drop out by themselves. */
export async function listSilences(sql: Sql, now: Date): Promise<SilenceRow[]> {
  return await sql<SilenceRow[]>`
    select ${silenceColumns(sql)} from silences where ends_at > ${now} order by starts_at, id`;
}

export async function createSilence(
  sql: Sql,
  input: { matchers: Matcher[]; startsAt: Date; endsAt: Date; comment: string },
  by: string,
): Promise<SilenceRow> {
  const [row] = await sql<SilenceRow[]>`
    insert into silences (matchers, starts_at, ends_at, comment, created_by)
    values (${sql.json(input.matchers as never)}, ${input.startsAt}, ${input.endsAt}, ${input.comment}, ${by})
    returning ${silenceColumns(sql)}`;
  return row;
}

/** Ends a silence now (kept for the record). */
export async function expireSilence(sql: Sql, id: number, now: Date): Promise<SilenceRow> {
  const [row] = await sql<SilenceRow[]>`
    update silences set ends_at = greatest(starts_at + interval '1 millisecond', ${now}::timestamptz)
    where id = ${id} returning ${silenceColumns(sql)}`;
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Silence ${id} does not exist` });
  return row;
}

export type { MuteTiming };
