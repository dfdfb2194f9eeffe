import { type AlertLabels, type Matcher, matchesAll } from "./matchers.ts";

export interface MuteTiming {
  /** 0 = Sunday ... 6 = Saturday; empty = every day */
  days: number[];
  /** hours [startHour, endHour) of the store's local day */
  startHour: number;
  endHour: number;
}

export interface Policy {
  id: number;
  position: number;
  matchers: Matcher[];
  contactPointId: number;
  groupBy: string[];
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  continueMatching: boolean;
  muteTimings: MuteTiming[];
  isDefault: boolean;
}

/**
 * The policies an alert goes to: in position order, the first whose matchers all hold, and after it
 * the next ones only while the matched one says continue; the default policy when none matched.
 */
export function routeAlert(policies: readonly Policy[], labels: AlertLabels): Policy[] {
  const ordered = policies.filter((p) => !p.isDefault).sort((a, b) => a.position - b.position || a.id - b.id);
  const routed: Policy[] = [];
  for (const policy of ordered) {
    if (!matchesAll(policy.matchers, labels)) continue;
    routed.push(policy);
    if (!policy.continueMatching) break;
  }
  if (routed.length > 0) return routed;
  const fallback = policies.find((p) => p.isDefault);
  return fallback ? [fallback] : [];
}

/**
 * The group an alert joins under a policy: the values of its group-by labels; alerts sharing them
 * go out in one notification. No group-by: one group per policy.
 */
export function groupKey(policy: Pick<Policy, "groupBy">, labels: AlertLabels): string {
  return policy.groupBy.map((name) => `${name}=${labels[name as keyof AlertLabels] ?? ""}`).join(",") || "*";
}

/** Day of week and hour of `now` in `timeZone`. */
export function localDayHour(now: Date, timeZone: string): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "numeric",
    hourCycle: "h23",
  })
    .formatToParts(now);
  const weekday = parts.find((p) => p.type === "weekday")?.value ?? "Sun";
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  return { day: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(weekday), hour };
}

/** Whether a mute timing of the policy covers `now` in the store's zone (notifications held back). */
export function isMuted(timings: readonly MuteTiming[], now: Date, timeZone: string): boolean {
  const { day, hour } = localDayHour(now, timeZone);
  return timings.some((t) =>
    (t.days.length === 0 || t.days.includes(day)) &&
    (t.startHour <= t.endHour
      ? hour >= t.startHour && hour < t.endHour
      : hour >= t.startHour || hour < t.endHour)
  );
}

/** Mute timings hold a notification to the next quarter hour at which none covers it (the store's local hours can start on a quarter hour). */
const muteStepMs = 15 * 60_000;
/** At most this far ahead: timings covering every hour of every day would hold forever, so a held notification is looked at again a week on. */
const muteHorizonMs = 8 * 86_400_000;

/**
 * When the mute timings covering `now` end: the first moment after `now` that none covers, in the
 * store's zone. `null` when none covers `now` (nothing to hold). Like Alertmanager, a notification
 * due in a mute timing is held until then and sent if its alerts are still firing.
 */
export function mutedUntil(timings: readonly MuteTiming[], now: Date, timeZone: string): Date | null {
  if (!isMuted(timings, now, timeZone)) return null;
  let at = Math.floor(now.getTime() / muteStepMs) * muteStepMs + muteStepMs;
  const horizon = now.getTime() + muteHorizonMs;
  while (at < horizon && isMuted(timings, new Date(at), timeZone)) at += muteStepMs;
  return new Date(at);
}

export interface Silence {
  id: number;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
}

/** The silence in force at `now` whose matchers all hold, if any. */
export function silencedBy(
  silences: readonly Silence[],
  labels: AlertLabels,
  now: Date,
): Silence | undefined {
  return silences.find((s) => s.startsAt <= now && now < s.endsAt && matchesAll(s.matchers, labels));
}

/** Waits before retries of a failed send: 30 s, 1 min, 2 min, ... at most 1 h. */
export function retryBackoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}
export const maxSendAttempts = 5;
