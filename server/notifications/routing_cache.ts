import type { Sql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import { listPolicies, listSilences, type SilenceRow } from "./policy_queries.ts";
import type { Policy } from "./routing.ts";

/** How long an instance trusts its copy of the policies and silences without hearing of a change. */
export const ROUTING_SETTINGS_TTL_MS = 5_000;

/** What routing a new alert reads: every notification policy, and the silences not yet ended. */
export interface RoutingSettings {
  policies: Policy[];
  silences: SilenceRow[];
}

/** The policies, and the silences not ended at `now`, from the database. */
export async function readRoutingSettings(sql: Sql, now: Date): Promise<RoutingSettings> {
  const [policies, silences] = await Promise.all([listPolicies(sql), listSilences(sql, now)]);
  return { policies, silences };
}

interface Entry {
  sql: Sql;
  ttlMs: number;
  settings?: Promise<RoutingSettings & { loadedAt: Date }>;
  expiresAt: number;
}

// One copy per instance, found by its bus (each instance has its own; tests open several on one
// database). A `notifications.changed` event from any instance drops it; the TTL bounds staleness
// should an event be lost (Redis unreachable).
const entries = new WeakMap<EventBus, Entry>();

/**
 * The routing settings of this instance (`db.sql` and `bus` name it), read from the database at most
 * once per TTL and again after every change to notification settings, which `notifications.changed`
 * announces on every instance (and `forgetRoutingSettings` applies at once on the instance that made
 * it). New alerts are routed from this copy: a burst of alerts costs no reads of the policies.
 * @param options.ttlMs how long the copy is trusted without an event (for tests; the first call fixes it)
 */
export function routingSettingsOf(
  deps: { db: { sql: Sql }; bus: EventBus },
  options: { ttlMs?: number } = {},
): (now: Date) => Promise<RoutingSettings> {
  let entry = entries.get(deps.bus);
  if (!entry) {
    const created: Entry = {
      sql: deps.db.sql,
      ttlMs: options.ttlMs ?? ROUTING_SETTINGS_TTL_MS,
      expiresAt: 0,
    };
    entries.set(deps.bus, created);
    deps.bus.subscribe((event) => {
      if (event.type === "notifications.changed") forgetRoutingSettings(deps.bus);
    });
    entry = created;
  }
  const held = entry;
  return async (now) => {
    const at = Date.now();
    if (!held.settings || held.expiresAt <= at) {
      held.expiresAt = at + held.ttlMs;
      // silences ending after this moment are read: the copy serves `now` and any later moment
      const loadedAt = new Date(Math.min(at, now.getTime()));
      const loading = readRoutingSettings(held.sql, loadedAt).then((settings) => ({ ...settings, loadedAt }));
      held.settings = loading;
      // A failed read must not stick for the whole TTL
      loading.catch(() => {
        if (held.settings === loading) held.settings = undefined;
      });
    }
    const settings = await held.settings;
    // The copy holds the silences not ended when it was read: an earlier moment asks the database
    if (now < settings.loadedAt) return await readRoutingSettings(held.sql, now);
    return settings;
  };
}

/** Drops the instance's copy (after a change it made, or one announced on the bus). */
export function forgetRoutingSettings(bus: EventBus): void {
  const entry = entries.get(bus);
  if (entry) {
    entry.settings = undefined;
    entry.expiresAt = 0;
  }
}
