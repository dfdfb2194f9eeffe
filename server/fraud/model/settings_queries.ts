/**
 * The shop's fraud settings (`fraud_settings`, one row, migration 0242): today the cold-start review
 * ceiling, the most of the shop's sales the shipped prior may send to review (`operating_point.ts`).
 * Changed by admins only, audit-logged in the same transaction as the change.
 */
import type { Sql, TransactionSql } from "../../db/mod.ts";
import { recordAudit } from "../../auth/audit.ts";
import type { RulesActor } from "../rules_queries.ts";
import { COLD_START_OPERATING } from "./operating_point.ts";

/** The settings as stored; `updatedBy` and `updatedAt` are null until an admin first changes them. */
export interface FraudSettings {
  coldStartMaxReviewRate: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** The settings (the migration's defaults should the row be missing). */
export async function readFraudSettings(sql: Sql | TransactionSql): Promise<FraudSettings> {
  const [row] = await sql<[{ rate: number; updated_by: string | null; updated_at: Date | null }?]>`
    select cold_start_max_review_rate as rate, updated_by, updated_at from fraud_settings`;
  return {
    coldStartMaxReviewRate: row ? Number(row.rate) : COLD_START_OPERATING.maxReviewRate,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * Sets the cold-start review ceiling (a share, already validated by the caller; the table's check holds the
 * same range) and records who changed it from what to what. Returns the settings now stored.
 */
export async function saveColdStartCeiling(
  sql: Sql,
  maxReviewRate: number,
  actor: RulesActor,
): Promise<FraudSettings> {
  return await sql.begin(async (tx) => {
    const before = await readFraudSettings(tx);
    await tx`
      insert into fraud_settings (id, cold_start_max_review_rate, updated_by, updated_at)
      values (true, ${maxReviewRate}, ${actor.caller.username}, now())
      on conflict (id) do update set cold_start_max_review_rate = excluded.cold_start_max_review_rate,
        updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
    await recordAudit(tx, {
      caller: actor.caller,
      action: "fraud_settings.changed",
      entityType: "fraud_settings",
      details: {
        coldStartMaxReviewRate: { from: before.coldStartMaxReviewRate, to: maxReviewRate },
      },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return await readFraudSettings(tx);
  });
}
