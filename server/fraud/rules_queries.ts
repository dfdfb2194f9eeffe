import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import type { Caller } from "../trpc/roles.ts";
import type { Sql, TransactionSql } from "../db/mod.ts";
import { defaultFraudRules, type FraudRules, fraudRulesSchema } from "./rules.ts";

/** One saved version of the rules: who saved it, when, why, and whether it is in force. */
export interface RuleVersionSummary {
  version: number;
  note: string;
  createdBy: string;
  createdAt: Date;
  isActive: boolean;
  activatedAt: Date | null;
  activatedBy: string | null;
  /** False for the shipped defaults before anyone saved a version (nothing is stored yet). */
  stored: boolean;
}

/** A version with its rules. */
export interface RuleVersion extends RuleVersionSummary {
  rules: FraudRules;
}

/** Who acts, for the version record and the audit log. */
export interface RulesActor {
  caller: Caller;
  requestId?: string;
  ip?: string;
}

interface VersionRow {
  version: number;
  rules: unknown;
  note: string;
  created_by: string;
  created_at: Date;
  is_active: boolean;
  activated_at: Date | null;
  activated_by: string | null;
}

const SHIPPED_NOTE = "Shipped defaults";

/** One stored version's row, or undefined when there is no such version. */
async function readVersionRow(sql: Sql | TransactionSql, version: number): Promise<VersionRow | undefined> {
  const [row] = await sql<[VersionRow?]>`
    select version, rules, note, created_by, created_at, is_active, activated_at, activated_by
    from fraud_rule_versions where version = ${version}`;
  return row;
}

function toSummary(row: Omit<VersionRow, "rules">): RuleVersionSummary {
  return {
    version: row.version,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    isActive: row.is_active,
    activatedAt: row.activated_at,
    activatedBy: row.activated_by,
    stored: true,
  };
}

function toVersion(row: VersionRow): RuleVersion {
  return {
    ...toSummary(row),
    // Stored rules were validated on save; parsing again applies defaults a later schema may add
    rules: fraudRulesSchema.parse({ ...(row.rules as object), version: row.version }),
  };
}

/** The shipped defaults as version 1, as they are in force before the first save. */
function shippedVersion(timeZone: string, stored = false): RuleVersion {
  return {
    version: 1,
    rules: { ...defaultFraudRules({ timeZone }), version: 1 },
    note: SHIPPED_NOTE,
    createdBy: "system",
    createdAt: new Date(0),
    isActive: true,
    activatedAt: null,
    activatedBy: null,
    stored,
  };
}

/**
 * The rules in force: the active stored version, or the shipped defaults in the store's time zone when
 * no version was ever saved.
 * @param sql the pool or a transaction
 * @param options the store's time zone (`STORE_TZ`), for the defaults
 */
export async function getActiveRuleVersion(
  sql: Sql | TransactionSql,
  options: { timeZone: string },
): Promise<RuleVersion> {
  const [row] = await sql<[VersionRow?]>`
    select version, rules, note, created_by, created_at, is_active, activated_at, activated_by
    from fraud_rule_versions where is_active`;
  return row ? toVersion(row) : shippedVersion(options.timeZone);
}

/** One version with its rules; undefined when there is no such version. */
export async function getRuleVersion(
  sql: Sql,
  version: number,
  options: { timeZone: string },
): Promise<RuleVersion | undefined> {
  const row = await readVersionRow(sql, version);
  if (row) return toVersion(row);
  if (version !== 1) return undefined;
  const [{ any }] = await sql<[{ any: boolean }]>`select exists (select 1 from fraud_rule_versions) as any`;
  return any ? undefined : shippedVersion(options.timeZone);
}

/** Every version, newest first (the shipped defaults alone until the first save). */
export async function listRuleVersions(
  sql: Sql,
  options: { timeZone: string; limit: number },
): Promise<RuleVersionSummary[]> {
  const rows = await sql<Omit<VersionRow, "rules">[]>`
    select version, note, created_by, created_at, is_active, activated_at, activated_by
    from fraud_rule_versions order by version desc limit ${options.limit}`;
  if (rows.length === 0) {
    const { rules: _rules, ...shipped } = shippedVersion(options.timeZone);
    return [shipped];
  }
  return rows.map(toSummary);
}

// Serialises saves and activations, so version numbers never collide and one version stays active
async function lockRules(tx: TransactionSql): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended('fraud_rule_versions', 0))`;
}

/** Writes the shipped defaults as version 1 when nothing is stored, so history starts from them. */
async function storeShippedIfEmpty(tx: TransactionSql, timeZone: string): Promise<void> {
  const [{ any }] = await tx<[{ any: boolean }]>`select exists (select 1 from fraud_rule_versions) as any`;
  if (any) return;
  const shipped = shippedVersion(timeZone);
  await tx`
    insert into fraud_rule_versions (version, rules, note, created_by, is_active, activated_at, activated_by)
    values (1, ${tx.json(shipped.rules as never)}, ${SHIPPED_NOTE}, 'system', true, now(), 'system')`;
}

async function activateIn(tx: TransactionSql, version: number, by: string): Promise<void> {
  await tx`update fraud_rule_versions set is_active = false where is_active and version <> ${version}`;
  await tx`
    update fraud_rule_versions set is_active = true, activated_at = now(), activated_by = ${by}
    where version = ${version}`;
}

/**
 * Saves the rules as a new version (the next number), with who, when and why, audit-logged; activates
 * it when asked. The first save stores the shipped defaults as version 1 before it.
 * @param sql the pool
 * @param rules the candidate rules (their `version` field is ignored: the new number replaces it)
 * @param options the note, whether to activate, who, and the store's time zone for the defaults
 */
export async function saveRuleVersion(
  sql: Sql,
  rules: Omit<FraudRules, "version">,
  options: { note: string; activate: boolean; actor: RulesActor; timeZone: string },
): Promise<RuleVersion> {
  const { actor } = options;
  return await sql.begin(async (tx) => {
    await lockRules(tx);
    await storeShippedIfEmpty(tx, options.timeZone);
    const [{ next }] = await tx<[{ next: number }]>`
      select coalesce(max(version), 0) + 1 as next from fraud_rule_versions`;
    const parsed = fraudRulesSchema.safeParse({ ...rules, version: next });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Invalid rules: ${issue.path.join(".") || "rules"}: ${issue.message}`,
      });
    }
    await tx`
      insert into fraud_rule_versions (version, rules, note, created_by, created_by_user_id)
      values (${next}, ${tx.json(parsed.data as never)}, ${options.note}, ${actor.caller.username},
        ${actor.caller.userId || null})`;
    if (options.activate) await activateIn(tx, next, actor.caller.username);
    await recordAudit(tx, {
      caller: actor.caller,
      action: "fraud_rules.saved",
      entityType: "fraud_rules",
      entityId: next,
      details: { note: options.note, activated: options.activate },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    // written above in this transaction, so it is there
    return toVersion((await readVersionRow(tx, next))!);
  });
}

/**
 * Puts a saved version in force (rolling forward or back), audit-logged with the version it replaced.
 * NOT_FOUND when there is no such version.
 */
export async function activateRuleVersion(
  sql: Sql,
  version: number,
  options: { actor: RulesActor; timeZone: string },
): Promise<RuleVersion> {
  const { actor } = options;
  return await sql.begin(async (tx) => {
    await lockRules(tx);
    await storeShippedIfEmpty(tx, options.timeZone);
    const target = await readVersionRow(tx, version);
    if (!target) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No fraud rules version ${version}` });
    }
    const [previous] = await tx<[{ version: number }?]>`
      select version from fraud_rule_versions where is_active`;
    await activateIn(tx, version, actor.caller.username);
    await recordAudit(tx, {
      caller: actor.caller,
      action: "fraud_rules.activated",
      entityType: "fraud_rules",
      entityId: version,
      details: { from: previous?.version ?? null, to: version },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    // re-read: activation changed is_active, activated_at and activated_by
    return toVersion((await readVersionRow(tx, version))!);
  });
}
