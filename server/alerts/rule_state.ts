/**
 * The alert-rule state machine, pure. A rule moves ok -> pending (breaching, waiting out its
 * pending period) -> firing (one open alert) -> cooldown (alert resolved, quiet for a while) -> ok.
 * The pending period filters blips; the cooldown stops a flapping metric paging again and again.
 */

export type RuleStateName = "ok" | "pending" | "firing" | "cooldown";

export interface RuleState {
  state: RuleStateName;
  /** when the rule entered pending (first breach of the current run) */
  since: Date | null;
  /** in cooldown: the instant the rule may fire again */
  cooldownUntil: Date | null;
}

export interface RuleObservation {
  breached: boolean;
  now: Date;
  /** whether the alert this rule raised is still unresolved (someone may have resolved it) */
  alertOpen: boolean;
  /** when that alert was resolved, if it was */
  alertResolvedAt: Date | null;
}

export interface RuleTiming {
  pendingMs: number;
  cooldownMs: number;
}

/** What the evaluator must do after a step. */
export type RuleAction = "none" | "raise" | "resolve";

export type Comparator = ">" | ">=" | "<" | "<=";

/** Each comparison in the words a rule is read in (the symbols are what the API takes and stores). */
export const comparatorWords: Record<Comparator, string> = {
  ">": "above",
  ">=": "at or above",
  "<": "below",
  "<=": "at or below",
};

/** True when `value` breaches `threshold` under `comparator`. */
export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

/**
 * One evaluation of a rule: the next state and the action it calls for.
 * @example stepRuleState({ state: "ok", since: null, cooldownUntil: null }, { breached: true, now, alertOpen: false, alertResolvedAt: null }, { pendingMs: 0, cooldownMs: 60_000 })
 */
export function stepRuleState(
  current: RuleState,
  observation: RuleObservation,
  timing: RuleTiming,
): { next: RuleState; action: RuleAction } {
  const { breached, now } = observation;
  const ok: RuleState = { state: "ok", since: null, cooldownUntil: null };
  const cooldownFrom = (start: Date): RuleState => ({
    state: "cooldown",
    since: null,
    cooldownUntil: new Date(start.getTime() + timing.cooldownMs),
  });
  switch (current.state) {
    case "firing":
      if (!observation.alertOpen) {
        // resolved by a person: the cooldown runs from their resolution
        return { next: cooldownFrom(observation.alertResolvedAt ?? now), action: "none" };
      }
      if (!breached) return { next: cooldownFrom(now), action: "resolve" };
      return { next: current, action: "none" };
    case "cooldown":
      if (current.cooldownUntil && now.getTime() < current.cooldownUntil.getTime()) {
        return { next: current, action: "none" };
      }
      return stepRuleState(ok, observation, timing);
    case "pending":
      if (!breached) return { next: ok, action: "none" };
      if (now.getTime() - (current.since ?? now).getTime() >= timing.pendingMs) {
        return { next: { state: "firing", since: current.since, cooldownUntil: null }, action: "raise" };
      }
      return { next: current, action: "none" };
    case "ok":
      if (!breached) return { next: ok, action: "none" };
      if (timing.pendingMs <= 0) {
        return { next: { state: "firing", since: now, cooldownUntil: null }, action: "raise" };
      }
      return { next: { state: "pending", since: now, cooldownUntil: null }, action: "none" };
  }
}
