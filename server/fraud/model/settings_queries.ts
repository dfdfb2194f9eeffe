/**
 * The shop's fraud settings (`fraud_settings`, one row, migrations 0242 and 0244): the cold-start review
 * ceiling, the most of the shop's sales the shipped prior may send to review (`operating_point.ts`), and
 * whether that ceiling follows the shop's own fraud labels each day (on unless an admin sets a number).
 * Changed by admins only, audit-logged in the same transaction as the change.
 */
import type { Sql, TransactionSql } from "../../db/mod.ts";
import { recordAudit } from "../../auth/audit.ts";
import type { RulesActor } from "../rules_queries.ts";
import { COLD_START_OPERATING } from "./operating_point.ts";

/** The settings as stored; `updatedBy` and `updatedAt` are null until an admin first changes them. */
export interface FraudSettings {
  coldStartMaxReviewRate: number;
  /** The ceiling is the labels' proposal of the day while there is one (`label_ceiling.ts`). */
  followLabels: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** The settings (the migration's defaults should the row be missing). */
export async function readFraudSettings(sql: Sql | TransactionSql): Promise<FraudSettings> {
  const [row] = await sql<
    [{ rate: number; follow: boolean; updated_by: string | null; updated_at: Date | null }?]
  >`select cold_start_max_review_rate as rate, follow_labels as follow, updated_by, updated_at from fraud_settings`;
  return {
    coldStartMaxReviewRate: row ? Number(row.rate) : COLD_START_OPERATING.maxReviewRate,
    followLabels: row?.follow ?? true,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** A change of the settings: a ceiling of the admin's own stops following the labels unless told otherwise. */
export interface FraudSettingsChange {
  coldStartMaxReviewRate?: number;
  followLabels?: boolean;
}

/**
 * Changes the settings (values already validated by the caller; the table's check holds the ceiling's range)
 * and records who changed what from what to what. Returns the settings now stored.
 */
export async function saveFraudSettings(
  sql: Sql,
  change: FraudSettingsChange,
  actor: RulesActor,
): Promise<FraudSettings> {
  return await sql.begin(async (tx) => {
    const before = await readFraudSettings(tx);
    const after = {
      coldStartMaxReviewRate: change.coldStartMaxReviewRate ?? before.coldStartMaxReviewRate,
      followLabels: change.followLabels ??
        (change.coldStartMaxReviewRate === undefined && before.followLabels),
    };
    await tx`
      insert into fraud_settings (id, cold_start_max_review_rate, follow_labels, updated_by, updated_at)
      values (true, ${after.coldStartMaxReviewRate}, ${after.followLabels}, ${actor.caller.username}, now())
      on conflict (id) do update set cold_start_max_review_rate = excluded.cold_start_max_review_rate,
        follow_labels = excluded.follow_labels, updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
    await recordAudit(tx, {
      caller: actor.caller,
      action: "fraud_settings.changed",
      entityType: "fraud_settings",
      details: {
        coldStartMaxReviewRate: { from: before.coldStartMaxReviewRate, to: after.coldStartMaxReviewRate },
        followLabels: { from: before.followLabels, to: after.followLabels },
      },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return await readFraudSettings(tx);
  });
}
