import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { localHour } from "../../shared/store_time.ts";
import type { CheckInput } from "./_common.ts";

/** Whether a local hour lies in [start, end), wrapping past midnight when start > end. */
export function isHourInRange(hour: number, start: number, end: number): boolean {
  return start <= end ? hour >= start && hour < end : hour >= start || hour < end;
}

function clock(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** The order was placed at an hour when the store's customers are normally asleep, and this one usually is too. */
export function checkUnusualHour(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.unusualHour;
  if (rule.startHour === rule.endHour) return null;
  const hour = localHour(input.tx.createdAt, rules.timeZone);
  if (!isHourInRange(hour, rule.startHour, rule.endHour)) return null;
  const end = input.now.getTime();
  let habit = 0;
  for (const entry of input.history.transactions) {
    if (entry.status !== "completed" || entry.createdAt.getTime() >= end) continue;
    if (isHourInRange(localHour(entry.createdAt, rules.timeZone), rule.startHour, rule.endHour)) habit++;
    if (habit >= rule.precedentOrders) return null;
  }
  return {
    code: "unusual_hour",
    strength: 1,
    message: `Placed between ${clock(hour)} and ${clock((hour + 1) % 24)} store time (${rules.timeZone}), ` +
      `inside the unusual hours ${clock(rule.startHour)}-${clock(rule.endHour)}`,
  };
}
