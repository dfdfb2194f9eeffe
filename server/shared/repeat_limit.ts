import type { LogFields, Logger } from "../log.ts";

/**
 * Lets one line of a kind through per window and counts the others. A warning that comes with every sale
 * while a dependency is away (each bus publish and cache invalidation during a Redis outage) would write
 * thousands of lines a second and bury what else the log says; the next line let through tells how many
 * like it were left out (`similarLeftOut`).
 *
 * @param windowMs at most one line per this long
 * @param clock the time now, in milliseconds (tests pass their own)
 * @returns a gate: call it with the write, which gets the fields to add
 */
export function repeatLimit(
  windowMs = 10_000,
  clock: () => number = Date.now,
): (write: (extra: LogFields) => void) => void {
  let lastWritten = -Infinity;
  let leftOut = 0;
  return (write) => {
    const now = clock();
    if (now - lastWritten < windowMs) {
      leftOut++;
      return;
    }
    lastWritten = now;
    const extra = leftOut > 0 ? { similarLeftOut: leftOut } : {};
    leftOut = 0;
    write(extra);
  };
}

/**
 * The log of a dependency that fails on every use while it is away (the event bus, cache invalidation during
 * a Redis outage): its warning cut to one per window (`repeatLimit`), and when it works again one info line
 * with how long it was away and how much failed meanwhile, which the cut warnings no longer show.
 * @param messages the warning, the line of its end, and the field that counts what failed
 * @example outageLog(log, { failing: "cache invalidation failed", back: "cache invalidation works again", counted: "invalidationsFailed" })
 */
export function outageLog(
  log: Pick<Logger, "warn" | "info">,
  messages: { failing: string; back: string; counted: string },
  options: { windowMs?: number; clock?: () => number } = {},
): {
  /** `count` more failed; `fields` (built only when the warning is written) go with it */
  failed(count: number, fields: () => LogFields): void;
  /** it worked: the end of an outage, if there was one, is written */
  worked(): void;
} {
  const clock = options.clock ?? Date.now;
  const warnings = repeatLimit(options.windowMs, clock);
  let outage: { since: number; count: number } | undefined;
  return {
    failed(count, fields) {
      outage ??= { since: clock(), count: 0 };
      outage.count += count;
      warnings((extra) => log.warn(messages.failing, { ...fields(), ...extra }));
    },
    worked() {
      if (!outage) return;
      log.info(messages.back, { downForMs: clock() - outage.since, [messages.counted]: outage.count });
      outage = undefined;
    },
  };
}
