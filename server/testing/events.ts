import assert from "node:assert/strict";
import type { AppEvent, EventBus } from "../events/bus.ts";

/**
 * Every event the bus hands this instance from now on. With REDIS_URL they come back through a
 * Redis subscription, some time after the publisher's call returned, so a test waits with
 * `until()` for the events it checks instead of looking right away.
 */
export function recordEvents(bus: EventBus): { events: AppEvent[]; stop: () => void } {
  const events: AppEvent[] = [];
  const stop = bus.subscribe((event) => events.push(event));
  return { events, stop };
}

/** Resolves once `condition()` holds; fails the test, naming `what`, after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
