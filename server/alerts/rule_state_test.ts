import assert from "node:assert/strict";
import {
  breaches,
  type RuleAction,
  type RuleState,
  type RuleStateName,
  stepRuleState,
} from "./rule_state.ts";

const t0 = Date.parse("2026-05-01T12:00:00Z");
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const state = (name: RuleStateName, since: number | null = null, until: number | null = null): RuleState => ({
  state: name,
  since: since === null ? null : at(since),
  cooldownUntil: until === null ? null : at(until),
});

Deno.test("breaches() compares with each comparator", () => {
  assert.deepEqual(
    [breaches(5, ">", 5), breaches(5, ">=", 5), breaches(4, "<", 5), breaches(6, "<=", 5)],
    [false, true, true, false],
  );
});

Deno.test("stepRuleState() moves through pending, firing and cooldown", async (t) => {
  const timing = { pendingMs: 60_000, cooldownMs: 300_000 };
  const cases: {
    name: string;
    from: RuleState;
    breached: boolean;
    now: number;
    alertOpen?: boolean;
    resolvedAt?: number;
    to: RuleState;
    action: RuleAction;
  }[] = [
    {
      name: "ok stays ok while healthy",
      from: state("ok"),
      breached: false,
      now: 0,
      to: state("ok"),
      action: "none",
    },
    {
      name: "a first breach waits in pending",
      from: state("ok"),
      breached: true,
      now: 0,
      to: state("pending", 0),
      action: "none",
    },
    {
      name: "a blip shorter than the pending period never fires",
      from: state("pending", 0),
      breached: false,
      now: 30,
      to: state("ok"),
      action: "none",
    },
    {
      name: "still breaching inside the pending period keeps waiting",
      from: state("pending", 0),
      breached: true,
      now: 59,
      to: state("pending", 0),
      action: "none",
    },
    {
      name: "breaching for the whole pending period raises",
      from: state("pending", 0),
      breached: true,
      now: 60,
      to: state("firing", 0),
      action: "raise",
    },
    {
      name: "firing and still breaching raises nothing more",
      from: state("firing", 0),
      breached: true,
      now: 120,
      alertOpen: true,
      to: state("firing", 0),
      action: "none",
    },
    {
      name: "the condition clearing resolves the alert and starts the cooldown",
      from: state("firing", 0),
      breached: false,
      now: 200,
      alertOpen: true,
      to: state("cooldown", null, 500),
      action: "resolve",
    },
    {
      name: "a person resolving the alert starts the cooldown from their resolution",
      from: state("firing", 0),
      breached: true,
      now: 200,
      alertOpen: false,
      resolvedAt: 150,
      to: state("cooldown", null, 450),
      action: "none",
    },
    {
      name: "breaching again during the cooldown stays quiet",
      from: state("cooldown", null, 500),
      breached: true,
      now: 499,
      to: state("cooldown", null, 500),
      action: "none",
    },
    {
      name: "after the cooldown a breach starts a new pending period",
      from: state("cooldown", null, 500),
      breached: true,
      now: 500,
      to: state("pending", 500),
      action: "none",
    },
    {
      name: "after the cooldown a healthy rule is ok",
      from: state("cooldown", null, 500),
      breached: false,
      now: 600,
      to: state("ok"),
      action: "none",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = stepRuleState(c.from, {
        breached: c.breached,
        now: at(c.now),
        alertOpen: c.alertOpen ?? false,
        alertResolvedAt: c.resolvedAt === undefined ? null : at(c.resolvedAt),
      }, timing);
      assert.deepEqual(result, { next: c.to, action: c.action });
    });
  }
});

Deno.test("stepRuleState() with no pending period fires on the first breach", () => {
  const result = stepRuleState(state("ok"), {
    breached: true,
    now: at(0),
    alertOpen: false,
    alertResolvedAt: null,
  }, {
    pendingMs: 0,
    cooldownMs: 0,
  });
  assert.equal(result.action, "raise");
});

Deno.test("stepRuleState() raises once per cooldown however fast the metric flaps", () => {
  const timing = { pendingMs: 0, cooldownMs: 600_000 };
  let current = state("ok");
  let alertOpen = false;
  let raised = 0;
  // flaps every 10 s for an hour
  for (let second = 0; second < 3600; second += 10) {
    const { next, action } = stepRuleState(current, {
      breached: (second / 10) % 2 === 0,
      now: at(second),
      alertOpen,
      alertResolvedAt: null,
    }, timing);
    if (action === "raise") {
      raised += 1;
      alertOpen = true;
    }
    if (action === "resolve") alertOpen = false;
    current = next;
  }
  assert.ok(raised <= 6, `raised ${raised} alerts in an hour with a 10-minute cooldown`);
  assert.ok(raised >= 5);
});
