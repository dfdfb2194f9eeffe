/**
 * Versioned fraud models in PostgreSQL (`fraud_models`, migration 0110): a training run saves a candidate
 * with its time-ordered validation figures (its backtest); an admin activates it; the sale request reads the
 * active one (cached for a minute per database). With no active model, the shipped prior scores.
 */
import { timedLoadCache } from "../../shared/timed_load_cache.ts";
import { TRPCError } from "@trpc/server";
import type { Sql } from "../../db/mod.ts";
import { assertModelFits, type FraudModel } from "./model.ts";

/** A stored model without its trees (for lists). */
export interface ModelVersion {
  version: number;
  status: "candidate" | "active" | "retired";
  labeledRows: number;
  labeledFraud: number;
  metrics: FraudModel["training"]["validation"];
  trainedBy: string;
  createdAt: Date;
  activatedAt: Date | null;
}

interface Row {
  version: number;
  status: ModelVersion["status"];
  labeled_rows: number;
  labeled_fraud: number;
  metrics: ModelVersion["metrics"];
  trained_by: string;
  created_at: Date;
  activated_at: Date | null;
}

const toVersion = (row: Row): ModelVersion => ({
  version: row.version,
  status: row.status,
  labeledRows: row.labeled_rows,
  labeledFraud: row.labeled_fraud,
  metrics: row.metrics,
  trainedBy: row.trained_by,
  createdAt: row.created_at,
  activatedAt: row.activated_at,
});

/** Saves a trained model as the next candidate version. */
export async function saveCandidateModel(
  sql: Sql,
  model: FraudModel,
  trainedBy: string,
): Promise<ModelVersion> {
  return await sql.begin(async (tx) => {
    // Version numbers are handed out one at a time.
    await tx`select pg_advisory_xact_lock(726151110)`;
    const [row] = await tx<[Row]>`
      insert into fraud_models (version, model, metrics, labeled_rows, labeled_fraud, trained_by)
      values ((select coalesce(max(version), 0) + 1 from fraud_models), ${tx.json(model as never)},
        ${tx.json(model.training.validation as never)}, ${model.training.rows}, ${model.training.fraud},
        ${trainedBy})
      returning version, status, labeled_rows, labeled_fraud, metrics, trained_by, created_at, activated_at`;
    return toVersion(row);
  });
}

/** Every stored version, newest first. */
export async function listModelVersions(sql: Sql): Promise<ModelVersion[]> {
  const rows = await sql<Row[]>`
    select version, status, labeled_rows, labeled_fraud, metrics, trained_by, created_at, activated_at
    from fraud_models order by version desc`;
  return rows.map(toVersion);
}

/** Puts a version in force; the previously active one is retired. NOT_FOUND for an unknown version. */
export async function activateModelVersion(sql: Sql, version: number): Promise<ModelVersion> {
  const row = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(726151110)`;
    const [target] = await tx<
      [{ version: number }?]
    >`select version from fraud_models where version = ${version}`;
    if (!target) throw new TRPCError({ code: "NOT_FOUND", message: `No fraud model version ${version}` });
    await tx`update fraud_models set status = 'retired' where status = 'active' and version <> ${version}`;
    const [updated] = await tx<[Row]>`
      update fraud_models set status = 'active', activated_at = coalesce(activated_at, now())
      where version = ${version}
      returning version, status, labeled_rows, labeled_fraud, metrics, trained_by, created_at, activated_at`;
    return updated;
  });
  activeCache.forget(sql);
  return toVersion(row);
}

const ACTIVE_TTL_MS = 60_000;

/** The active model (null when none), cached for a minute so the sale request does not fetch it each time. */
export function activeModel(sql: Sql): Promise<FraudModel | null> {
  return activeCache.get(sql);
}

const activeCache = timedLoadCache(ACTIVE_TTL_MS, async (sql: Sql) => {
  const [row] = await sql<[{ model: FraudModel }?]>`select model from fraud_models where status = 'active'`;
  const model: FraudModel | null = row?.model ?? null;
  if (!model) return null;
  try {
    assertModelFits(model);
    return model;
  } catch {
    // A model from an older feature set cannot score; the prior does until a retrain.
    return null;
  }
});
