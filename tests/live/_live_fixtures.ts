// Test helpers: API tokens to authenticate sockets with, and events published straight on the bus.
import { insertApiToken } from "../../server/auth/api_tokens.ts";
import type { Role } from "../../server/trpc/roles.ts";
import type { AppEvent } from "../../server/events/bus.ts";
import { saleEventData } from "../../server/events/events_fixtures.ts";
import type { Services } from "../../server/services.ts";

/** A fresh API token with `role` in the app's database. */
export async function createToken(services: Services, role: Role, name = `live-${role}`): Promise<string> {
  const { token } = await insertApiToken(services.db.sql, {
    name: `${name}-${crypto.randomUUID().slice(0, 8)}`,
    role,
    createdBy: 0,
  });
  return token;
}

/**
 * Publishes a `transaction.created` event whose orderRef starts with `tag`, so a test can tell its
 * own events from those of other tests sharing the same Redis.
 */
export function publishSale(
  services: Services,
  tag: string,
  index: number,
  options: { padding?: number; fraudDecision?: string } = {},
): Promise<AppEvent> {
  return services.bus.publish(
    "transaction.created",
    saleEventData({
      id: 1_000_000 + index,
      orderRef: `${tag}-${index}${"x".repeat(options.padding ?? 0)}`,
      customerId: 1,
      totalCents: 1999,
      itemCount: 1,
      fraudScore: 5,
      fraudDecision: options.fraudDecision ?? "allow",
      items: [{ productId: 1, quantity: 1 }],
    }),
  );
}

/** A tag unique to one test run. */
export function runTag(): string {
  return `live-${crypto.randomUUID().slice(0, 8)}`;
}

/** The orderRef of a channel message or subscription value, when it carries one. */
export function orderRefOf(message: unknown): string | undefined {
  const data = (message as { data?: { orderRef?: unknown } }).data ?? message;
  const ref = (data as { orderRef?: unknown }).orderRef;
  return typeof ref === "string" ? ref : undefined;
}

/** The `ws://` address of an app path. */
export function wsUrl(appUrl: string, path: string): string {
  return appUrl.replace(/^http/, "ws") + path;
}
