import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { syncPublicHolidays } from "./calendar_events.ts";

Deno.test("staff add and remove the store's promotions and closures at /api/v1/calendar-events", async (t) => {
  const tokens = { manager: "", viewer: "" };
  const app = await startTestApp({
    prepare: async (services) => {
      const sql = services.db.sql;
      tokens.manager = (await insertApiToken(sql, { name: "buyer", role: "manager", createdBy: 0 })).token;
      tokens.viewer = (await insertApiToken(sql, { name: "wall", role: "viewer", createdBy: 0 })).token;
      await syncPublicHolidays(sql, "GB", [2030]);
    },
  });
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await app.fetch(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const sale = { kind: "promotion", name: "Winter sale", startsOn: "2030-12-20", endsOn: "2030-12-27" };
  try {
    let saleId = 0;
    await t.step(
      "a manager adds a promotion over eight days; everyone lists it beside the holidays",
      async () => {
        const created = await call(tokens.manager, "POST", "/calendar-events", { ...sale, note: "20% off" });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.deepEqual({ ...created.body, id: 0 }, { ...sale, id: 0, note: "20% off", source: "store" });
        saleId = created.body.id;
        const listed = await call(tokens.viewer, "GET", "/calendar-events?from=2030-12-01&to=2030-12-31");
        assert.equal(listed.status, 200);
        const names = listed.body.items.map((e: { name: string; source: string }) => `${e.name}/${e.source}`);
        assert.deepEqual(names, ["Winter sale/store", "Christmas Day/holidays", "Boxing Day/holidays"]);
        // a range that only touches its last day still shows the whole event
        const tail = await call(tokens.viewer, "GET", "/calendar-events?from=2030-12-27&to=2030-12-27");
        assert.deepEqual(tail.body.items.map((e: { startsOn: string }) => e.startsOn), ["2030-12-20"]);
      },
    );

    await t.step("wrong input is refused with a message a person can act on", async () => {
      const cases: [Record<string, unknown>, number, RegExp][] = [
        [{ ...sale, endsOn: "2030-12-19" }, 400, /end date is before the start date/],
        [{ ...sale, endsOn: "2031-03-01" }, 400, /at most 60 days/],
        [{ ...sale, name: "  " }, 400, /Enter a name/],
        [{ ...sale, name: "x".repeat(201) }, 400, /at most 200 characters/],
        [{ ...sale, startsOn: "2030-02-30" }, 400, /Not a real date/],
        [{ ...sale, startsOn: "2030-12-26", endsOn: "2030-12-30" }, 409, /already on 2030-12-26/],
      ];
      for (const [body, status, message] of cases) {
        const answer = await call(tokens.manager, "POST", "/calendar-events", body);
        assert.equal(answer.status, status, JSON.stringify(answer.body));
        assert.match(JSON.stringify(answer.body), message);
      }
    });

    await t.step(
      "a viewer may not add or remove; a holiday cannot be removed; unknown ids are 404",
      async () => {
        const refused = await call(tokens.viewer, "POST", "/calendar-events", { ...sale, name: "Sneaky" });
        assert.equal(refused.status, 403);
        assert.equal((await call(tokens.viewer, "DELETE", `/calendar-events/${saleId}`)).status, 403);
        const listed = await call(tokens.viewer, "GET", "/calendar-events?from=2030-12-25&to=2030-12-25");
        const christmas = listed.body.items.find((e: { name: string }) => e.name === "Christmas Day");
        const holiday = await call(tokens.manager, "DELETE", `/calendar-events/${christmas.id}`);
        assert.equal(holiday.status, 409);
        assert.match(JSON.stringify(holiday.body), /public holiday/);
        assert.equal((await call(tokens.manager, "DELETE", "/calendar-events/99999999")).status, 404);
      },
    );

    await t.step("a manager removes the promotion, all its days, and the holidays stay", async () => {
      const removed = await call(tokens.manager, "DELETE", `/calendar-events/${saleId}`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(removed.body, { id: saleId, deletedDays: 8 });
      const listed = await call(tokens.viewer, "GET", "/calendar-events?from=2030-12-01&to=2030-12-31");
      assert.deepEqual(listed.body.items.map((e: { name: string }) => e.name), [
        "Christmas Day",
        "Boxing Day",
      ]);
      assert.equal((await call(tokens.manager, "DELETE", `/calendar-events/${saleId}`)).status, 404);
    });
  } finally {
    await app.stop();
  }
});
