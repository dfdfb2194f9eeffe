import type { Sql } from "../db/mod.ts";

/**
 * Prefix of the login-throttle and rate-limit counters. The KV store itself is namespaced per
 * installation (see `withNamespace` in server/kv/namespaced.ts), so this only separates the
 * counters from the cache and the bus inside one installation.
 */
export const limitKeyPrefix = "techmart:limits";

/**
 * The installation's random id (created by migration 0010): instances sharing this database share
 * it, while another installation or a test database on the same Redis gets its own.
 */
export async function readInstallationId(sql: Sql): Promise<string> {
  const [row] = await sql<[{ id: string }?]>`select id::text as id from installation limit 1`;
  if (!row) throw new Error("The installation row is missing: migration 0010 did not run");
  return row.id;
}
