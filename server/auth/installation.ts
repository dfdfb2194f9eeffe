import type { Services } from "../services.ts";

const prefixes = new WeakMap<Services, Promise<string>>();

/**
 * Key prefix for this installation's counters in the KV store: every instance on the same database
 * shares it, while another installation (or a test database) on the same Redis gets its own.
 */
export function limitKeyPrefix(services: Services): Promise<string> {
  let prefix = prefixes.get(services);
  if (!prefix) {
    prefix = services.db.sql<[{ id: string }]>`select id from installation limit 1`.then(([row]) =>
      `techmart:${row?.id ?? "default"}`
    );
    // A failed read must not be remembered: the next request tries again
    prefix.catch(() => prefixes.delete(services));
    prefixes.set(services, prefix);
  }
  return prefix;
}
