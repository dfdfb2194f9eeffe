import { ensureFirstUsers, type FirstUser } from "./auth/first_users.ts";
import type { Services } from "./services.ts";

/** What first-start preparation did, for the start-up output. */
export interface FirstStartReport {
  /** accounts created because there were none (with passwords to print once) */
  firstUsers: FirstUser[];
}

/**
 * Runs after migrations, before serving: creates the first accounts when there are none (demo
 * accounts too on the embedded sample setup).
 */
export async function prepareFirstStart(services: Services): Promise<FirstStartReport> {
  const firstUsers = await ensureFirstUsers(services, {
    demoUsers: services.db.kind === "embedded",
    adminPassword: services.config.ADMIN_PASSWORD,
  });
  return { firstUsers };
}
