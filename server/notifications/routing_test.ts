import assert from "node:assert/strict";
import { matchersSchema } from "./matchers.ts";
import { groupKey, isMuted, mutedUntil, type Policy, routeAlert, silencedBy } from "./routing.ts";

const policy = (id: number, over: Partial<Policy>): Policy => ({
  id,
  position: id,
  matchers: [],
  contactPointId: 1,
  groupBy: [],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 3600,
  continueMatching: false,
  muteTimings: [],
  isDefault: false,
  ...over,
});

Deno.test("routing by labels: first match wins, continue goes on, the default catches the rest", () => {
  const policies = [
    policy(9, { isDefault: true }),
    policy(1, { matchers: [{ label: "severity", op: "=", value: "critical" }], continueMatching: true }),
    policy(2, { matchers: [{ label: "category", op: "=~", value: "GPU|CPU" }] }),
    policy(3, { matchers: [{ label: "category", op: "=~", value: "GPU" }] }),
  ];
  assert.deepEqual(routeAlert(policies, { severity: "critical", category: "GPU" }).map((p) => p.id), [1, 2]);
  assert.deepEqual(routeAlert(policies, { severity: "low", category: "GPU" }).map((p) => p.id), [2]);
  assert.deepEqual(routeAlert(policies, { severity: "critical", category: "Cables" }).map((p) => p.id), [1]);
  assert.deepEqual(routeAlert(policies, { severity: "low", category: "Cables" }).map((p) => p.id), [9]);
  // the regex matches the whole value, not a part of it
  assert.deepEqual(routeAlert(policies, { severity: "low", category: "GPUs" }).map((p) => p.id), [9]);
  assert.deepEqual(routeAlert(policies.slice(1), { severity: "low" }), []);
});

Deno.test("group keys follow the group-by labels", () => {
  const p = policy(1, { groupBy: ["type", "category"] });
  assert.equal(groupKey(p, { type: "rule", category: "GPU", severity: "high" }), "type=rule,category=GPU");
  assert.equal(groupKey(p, { type: "rule" }), "type=rule,category=");
  assert.equal(groupKey(policy(2, {}), { type: "rule" }), "*");
});

Deno.test("mute timings are read in the store's time zone, across midnight too", () => {
  // Monday 2026-12-07 23:30 UTC is Tuesday 08:30 in Tokyo
  const now = new Date("2026-12-07T23:30:00Z");
  assert.equal(isMuted([{ days: [2], startHour: 8, endHour: 9 }], now, "Asia/Tokyo"), true);
  assert.equal(isMuted([{ days: [2], startHour: 8, endHour: 9 }], now, "UTC"), false);
  assert.equal(isMuted([{ days: [1], startHour: 22, endHour: 6 }], now, "UTC"), true);
  assert.equal(isMuted([{ days: [], startHour: 0, endHour: 23 }], now, "UTC"), false);
  assert.equal(isMuted([], now, "UTC"), false);
});

Deno.test("silences hold only between their start and end, for matching labels", () => {
  const silence = {
    id: 1,
    matchers: [{ label: "type" as const, op: "=" as const, value: "rule" }],
    startsAt: new Date("2026-11-27T00:00:00Z"),
    endsAt: new Date("2026-11-28T00:00:00Z"),
  };
  assert.equal(silencedBy([silence], { type: "rule" }, new Date("2026-11-27T12:00:00Z"))?.id, 1);
  assert.equal(silencedBy([silence], { type: "custom" }, new Date("2026-11-27T12:00:00Z")), undefined);
  assert.equal(silencedBy([silence], { type: "rule" }, new Date("2026-11-28T00:00:00Z")), undefined);
  assert.equal(silencedBy([silence], { type: "rule" }, new Date("2026-11-26T23:59:59Z")), undefined);
});

Deno.test("matchers refuse unknown labels and bad regular expressions", () => {
  assert.equal(matchersSchema.safeParse([{ label: "colour", value: "red" }]).success, false);
  assert.equal(matchersSchema.safeParse([{ label: "type", op: "=~", value: "(" }]).success, false);
  assert.deepEqual(matchersSchema.parse([{ label: "type", value: "rule" }]), [{
    label: "type",
    op: "=",
    value: "rule",
  }]);
});

Deno.test("a mute timing holds until its end in the store's zone, across midnight and on quarter hours", () => {
  const weekdayNights = [{ days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 }];
  // Thursday 2026-11-26 23:10 UTC: held to Friday 06:00
  assert.deepEqual(
    mutedUntil(weekdayNights, new Date("2026-11-26T23:10:00Z"), "UTC"),
    new Date("2026-11-27T06:00:00Z"),
  );
  // Friday 23:00: the window is Friday's, Saturday is not a muted day, so it ends at midnight
  assert.deepEqual(
    mutedUntil(weekdayNights, new Date("2026-11-27T23:00:00Z"), "UTC"),
    new Date("2026-11-28T00:00:00Z"),
  );
  // not muted: nothing to hold
  assert.equal(mutedUntil(weekdayNights, new Date("2026-11-27T12:00:00Z"), "UTC"), null);
  // Kolkata is UTC+5:30: 08:00-09:00 local ends at 03:30 UTC
  assert.deepEqual(
    mutedUntil([{ days: [], startHour: 8, endHour: 9 }], new Date("2026-11-27T02:40:00Z"), "Asia/Kolkata"),
    new Date("2026-11-27T03:30:00Z"),
  );
  // back to back timings hold through both
  assert.deepEqual(
    mutedUntil(
      [{ days: [], startHour: 1, endHour: 2 }, { days: [], startHour: 2, endHour: 4 }],
      new Date("2026-11-27T01:30:00Z"),
      "UTC",
    ),
    new Date("2026-11-27T04:00:00Z"),
  );
});
