import type { LogFields } from "../log.ts";

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
