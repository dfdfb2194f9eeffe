import type { Sql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import type { FraudRules } from "./rules.ts";
import { getActiveRuleVersion } from "./rules_queries.ts";

/** How long an instance trusts its copy of the active rules without hearing of a change. */
export const ACTIVE_RULES_TTL_MS = 5_000;

/** What reading the active rules needs: the database, the bus that announces changes, the store's zone. */
export interface ActiveRulesDeps {
  db: { sql: Sql };
  bus: EventBus;
  config: { STORE_TZ: string };
}

interface Entry {
  rules?: Promise<FraudRules>;
  expiresAt: number;
}

// One entry per database (tests open many); a `fraud.rules_changed` event on the bus, from any instance,
// drops it, and the TTL bounds staleness should an event be lost.
const entries = new WeakMap<Sql, Entry>();

function entryFor(deps: ActiveRulesDeps): Entry {
  let entry = entries.get(deps.db.sql);
  if (!entry) {
    const created: Entry = { expiresAt: 0 };
    entries.set(deps.db.sql, created);
    deps.bus.subscribe((event) => {
      if (event.type === "fraud.rules_changed") forgetActiveRules(deps.db.sql);
    });
    entry = created;
  }
  return entry;
}

/**
 * The rules `transactions.create` scores with: the active stored version (or the shipped defaults in
 * `STORE_TZ`), read from the database at most once per `ACTIVE_RULES_TTL_MS` per instance.
 */
export async function activeFraudRules(deps: ActiveRulesDeps): Promise<FraudRules> {
  const entry = entryFor(deps);
  const now = Date.now();
  if (!entry.rules || entry.expiresAt <= now) {
    entry.expiresAt = now + ACTIVE_RULES_TTL_MS;
    entry.rules = getActiveRuleVersion(deps.db.sql, { timeZone: deps.config.STORE_TZ }).then((v) => v.rules);
    // A failed read must not stick for the whole TTL
    entry.rules.catch(() => forgetActiveRules(deps.db.sql));
  }
  return await entry.rules;
}

/** Drops this instance's copy of the active rules (after a save or activation, or a bus event). */
export function forgetActiveRules(sql: Sql): void {
  const entry = entries.get(sql);
  if (entry) {
    entry.rules = undefined;
    entry.expiresAt = 0;
  }
}

/** Drops the local copy now and tells every instance that the active rules changed. */
export async function announceRulesChanged(deps: ActiveRulesDeps, version: number): Promise<void> {
  forgetActiveRules(deps.db.sql);
  await deps.bus.publish("fraud.rules_changed", { version });
}
