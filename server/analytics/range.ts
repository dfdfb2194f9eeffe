import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { TimeRange } from "../views/coverage.ts";

const maxDays = 366;

/** Input fields of every ranged read: explicit `from`/`to`, or the last `days` days up to now. */
export function rangeInputShape(defaultDays: number) {
  return {
    from: z.iso.datetime({ offset: true }).optional().describe("Start of the range (inclusive), ISO 8601"),
    to: z.iso.datetime({ offset: true }).optional().describe(
      "End of the range (exclusive), ISO 8601; now if omitted",
    ),
    days: z.coerce.number().int().min(1).max(maxDays).default(defaultDays)
      .describe("Length of the range when `from` is omitted"),
  };
}

/**
 * The half-open range an input names; BAD_REQUEST when it is empty or longer than a year.
 * @example resolveRange({ days: 7 }, new Date())
 */
export function resolveRange(input: { from?: string; to?: string; days: number }, now: Date): TimeRange {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - input.days * 86_400_000);
  if (from.getTime() >= to.getTime()) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Invalid range: "from" (${from.toISOString()}) must be before "to" (${to.toISOString()})`,
    });
  }
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Invalid range: at most ${maxDays} days at a time` });
  }
  return [from, to];
}

/** The period of equal length just before `range`. */
export function previousRange([from, to]: TimeRange): TimeRange {
  return [new Date(2 * from.getTime() - to.getTime()), from];
}

/** Relative change from `previous` to `current` (0.25 = +25%); null when there was nothing before. */
export function changeRate(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return Math.round(((current - previous) / previous) * 10_000) / 10_000;
}
