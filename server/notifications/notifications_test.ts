import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { raiseAlert } from "../alerts/alert_queries.ts";
import { signBody } from "../alerts/webhook.ts";
import { connect } from "../db/sql.ts";
import { parseOutboundAllowlist } from "../outbound/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { startHttpReceiver, startSmtpReceiver } from "./_test_receivers.ts";
import { type DispatchDeps, enqueueAlert, flushDueNotifications } from "./dispatch.ts";
import { dispatchDeps } from "./start_notifications.ts";

const secret = "hook-secret-0123456789";
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

Deno.test("contact points, policies, silences and mute timings, with real receivers and a movable clock", async (t) => {
  const { services, api, close } = await openTestServices();
  const http = startHttpReceiver();
  const smtp = await startSmtpReceiver();
  // the receivers are on loopback: allowed on purpose, as an operator would with OUTBOUND_ALLOWLIST
  services.config = {
    ...services.config,
    OUTBOUND_ALLOWLIST: parseOutboundAllowlist("127.0.0.1"),
    SMTP_URL: smtp.url,
    STORE_TZ: "UTC",
  };
  const deps: DispatchDeps = dispatchDeps(services);
  const manager = api("manager");
  const viewer = api("viewer");
  const raise = async (input: { type: string; severity: "low" | "high" | "critical"; title: string }) => {
    const { alert } = await services.db.sql.begin((tx) => raiseAlert(tx, input));
    return alert.id;
  };
  try {
    const webhook = await manager.notifications.contactPoints.create({
      name: "ops webhook",
      kind: "webhook",
      url: http.url("/hook"),
      secret,
    });
    const slack = await manager.notifications.contactPoints.create({
      name: "ops slack",
      kind: "slack",
      url: http.url("/services/T000/B000/XXXX"),
    });
    const email = await manager.notifications.contactPoints.create({
      name: "ops email",
      kind: "email",
      recipients: ["ops@example.com"],
    });

    await t.step(
      "the outbound guard refuses a private address at save time with a clear message",
      async () => {
        await assert.rejects(
          manager.notifications.contactPoints.create({
            name: "inside",
            kind: "slack",
            url: "http://10.0.0.5/hook",
          }),
          (error: TRPCError) =>
            error.code === "BAD_REQUEST" &&
            /Contact point URL refused.*10\.0\.0\.5.*OUTBOUND_ALLOWLIST/.test(error.message),
        );
        await assert.rejects(
          manager.notifications.contactPoints.create({
            name: "meta",
            kind: "webhook",
            url: "http://169.254.169.254/",
          }),
          (error: TRPCError) => error.code === "BAD_REQUEST",
        );
      },
    );

    await t.step(
      "secrets show to managers only: viewers see the origin, nobody sees the signing secret",
      async () => {
        const seen = (await viewer.notifications.contactPoints.list()).items;
        const slackSeen = seen.find((p) => p.id === slack.id)!;
        assert.equal(slackSeen.url, `${new URL(http.url("/")).origin}/…`);
        assert.equal(seen.find((p) => p.id === webhook.id)!.hasSecret, true);
        assert.ok(!JSON.stringify(seen).includes(secret));
        const managerSeen = (await manager.notifications.contactPoints.list()).items;
        assert.equal(managerSeen.find((p) => p.id === slack.id)!.url, http.url("/services/T000/B000/XXXX"));
        await assert.rejects(
          viewer.notifications.contactPoints.test({ id: slack.id }),
          (e: TRPCError) => e.code === "FORBIDDEN",
        );
      },
    );

    await t.step(
      "a contact point is edited: checked again by the guard, its secret kept unless replaced",
      async () => {
        await assert.rejects(
          manager.notifications.contactPoints.update({
            id: webhook.id,
            name: "ops webhook",
            kind: "webhook",
            url: "http://192.168.1.10/hook",
          }),
          (e: TRPCError) => e.code === "BAD_REQUEST" && /refused.*192\.168\.1\.10/.test(e.message),
        );
        await assert.rejects(
          manager.notifications.contactPoints.update({ id: email.id, name: "ops email", kind: "email" }),
          (e: TRPCError) => e.code === "BAD_REQUEST" && /needs recipients/.test(e.message),
        );
        await assert.rejects(
          viewer.notifications.contactPoints.update({
            id: email.id,
            name: "x",
            kind: "email",
            recipients: ["a@b.co"],
          }),
          (e: TRPCError) => e.code === "FORBIDDEN",
        );
        const renamed = await manager.notifications.contactPoints.update({
          id: webhook.id,
          name: "ops webhook",
          kind: "webhook",
          url: http.url("/hook"),
        });
        assert.equal(renamed.hasSecret, true, "no secret given: the stored one is kept");
        const [{ secret: stored }] = await services.db.sql<[{ secret: string }]>`
        select secret from contact_points where id = ${webhook.id}`;
        assert.equal(stored, secret);
        const edited = await manager.notifications.contactPoints.update({
          id: email.id,
          name: "ops email",
          kind: "email",
          recipients: ["ops@example.com", "night@example.com"],
        });
        assert.deepEqual(edited.recipients, ["ops@example.com", "night@example.com"]);
        await manager.notifications.contactPoints.update({
          id: email.id,
          name: "ops email",
          kind: "email",
          recipients: ["ops@example.com"],
        });
      },
    );

    await t.step("send test reaches each kind: signed webhook, Slack blocks, a parsed email", async () => {
      assert.deepEqual(await manager.notifications.contactPoints.test({ id: webhook.id }), {
        ok: true,
        error: null,
      });
      const hook = http.on("/hook").at(-1)!;
      assert.equal(hook.headers.get("x-techmart-signature"), `sha256=${await signBody(secret, hook.body)}`);
      assert.equal(JSON.parse(hook.body).event, "test");

      assert.equal((await manager.notifications.contactPoints.test({ id: slack.id })).ok, true);
      const slackBody = JSON.parse(http.on("/services/T000/B000/XXXX").at(-1)!.body);
      assert.equal(slackBody.text, "TechMart test notification");
      assert.equal(slackBody.blocks[0].type, "header");

      assert.deepEqual(await manager.notifications.contactPoints.test({ id: email.id }), {
        ok: true,
        error: null,
      });
      await waitFor(() => smtp.mails.length > 0);
      const mail = smtp.mails.at(-1)!;
      assert.equal(mail.subject, "TechMart test notification");
      assert.match(mail.text ?? "", /This contact point works/);
      assert.deepEqual(
        (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((to) => to?.value.map((v) => v.address) ?? []),
        ["ops@example.com"],
      );
    });

    await t.step("a failed send test says why", async () => {
      http.state.failWith = 503;
      const outcome = await manager.notifications.contactPoints.test({ id: slack.id });
      http.state.failWith = 0;
      assert.deepEqual(outcome, { ok: false, error: "HTTP 503" });
    });

    // critical alerts go to Slack grouped by type, continuing to email; everything else to the webhook
    await manager.notifications.policies.create({
      position: 1,
      matchers: [{ label: "severity", op: "=", value: "critical" }],
      contactPointId: slack.id,
      groupBy: ["type"],
      groupWaitSeconds: 30,
      groupIntervalSeconds: 300,
      repeatIntervalSeconds: 3600,
      continueMatching: true,
    });
    await manager.notifications.policies.create({
      position: 2,
      matchers: [{ label: "severity", op: "=", value: "critical" }],
      contactPointId: email.id,
      groupWaitSeconds: 0,
    });
    await manager.notifications.policies.create({
      contactPointId: webhook.id,
      isDefault: true,
      groupWaitSeconds: 0,
    });
    await assert.rejects(
      manager.notifications.policies.create({ contactPointId: webhook.id, isDefault: true }),
      (e: TRPCError) => e.code === "CONFLICT",
    );

    const t0 = new Date("2026-11-27T10:00:00Z");
    const slackPath = "/services/T000/B000/XXXX";
    let firstId = 0;
    let secondId = 0;

    await t.step("grouping: alerts of one group wait group_wait and go out in one message", async () => {
      const slackBefore = http.on(slackPath).length;
      const mailsBefore = smtp.mails.length;
      firstId = await raise({ type: "checkout", severity: "critical", title: "Checkout errors" });
      assert.deepEqual(await enqueueAlert(deps, firstId, t0), ["pending", "pending"]);
      // a second instance hearing the same event queues nothing
      assert.deepEqual(await enqueueAlert(deps, firstId, t0), []);
      secondId = await raise({ type: "checkout", severity: "critical", title: "Payment timeouts" });
      await enqueueAlert(deps, secondId, at(t0, 5));
      await flushDueNotifications(deps, at(t0, 10));
      assert.equal(http.on(slackPath).length, slackBefore, "slack waits for group_wait");
      // the email policy has group wait 0 but its first notification was still collecting when the
      // second alert came: both go in one mail
      await waitFor(() => smtp.mails.length > mailsBefore);
      assert.equal(smtp.mails.length, mailsBefore + 1);
      assert.match(smtp.mails.at(-1)!.text ?? "", /Checkout errors[\s\S]*Payment timeouts/);
      assert.equal(smtp.mails.at(-1)!.subject, "[CRITICAL] Checkout errors (+1 more)");
      await flushDueNotifications(deps, at(t0, 31));
      assert.equal(http.on(slackPath).length, slackBefore + 1);
      const body = JSON.parse(http.on(slackPath).at(-1)!.body);
      assert.match(body.text, /Checkout errors \(\+1 more\)/);
      assert.equal(body.blocks.filter((b: { type: string }) => b.type === "section").length, 2);
      await flushDueNotifications(deps, at(t0, 40));
      assert.equal(http.on(slackPath).length, slackBefore + 1, "nothing is sent twice");
    });

    await t.step(
      "group interval: a new alert in a group that just went out waits for the interval",
      async () => {
        const before = http.on(slackPath).length;
        const third = await raise({ type: "checkout", severity: "critical", title: "Card declines" });
        await enqueueAlert(deps, third, at(t0, 60));
        await flushDueNotifications(deps, at(t0, 100));
        assert.equal(http.on(slackPath).length, before);
        await flushDueNotifications(deps, at(t0, 31 + 300));
        assert.equal(http.on(slackPath).length, before + 1);
        // the group's notification carries its still open alerts too, the new one first
        assert.equal(JSON.parse(http.on(slackPath).at(-1)!.body).text, "[CRITICAL] Card declines (+2 more)");
        await manager.alerts.resolve({ id: third });
      },
    );

    await t.step(
      "repeat: a group still open is sent again after the repeat interval, resolved alerts left out",
      async () => {
        const before = http.on(slackPath).length;
        // counted from the group's last send (t0 + 331)
        await flushDueNotifications(deps, at(t0, 331 + 1800));
        assert.equal(http.on(slackPath).length, before);
        await flushDueNotifications(deps, at(t0, 331 + 3600));
        assert.equal(http.on(slackPath).length, before + 1);
        assert.match(JSON.parse(http.on(slackPath).at(-1)!.body).text, /Checkout errors \(\+1 more\)/);
        await manager.alerts.resolve({ id: firstId });
        await manager.alerts.resolve({ id: secondId });
        await flushDueNotifications(deps, at(t0, 331 + 3600 * 3));
        assert.equal(http.on(slackPath).length, before + 1, "resolved alerts are not repeated");
      },
    );

    await t.step(
      "silences: a matching alert is recorded as silenced and not sent; it expires by itself",
      async () => {
        const now = new Date();
        const silence = await api("analyst").notifications.silences.create({
          matchers: [{ label: "type", op: "=", value: "black_friday" }],
          endsAt: at(now, 3600),
          comment: "Black Friday flood",
        });
        assert.equal(silence.createdBy, "test-analyst");
        assert.ok((await viewer.notifications.silences.list()).items.some((s) => s.id === silence.id));
        const hooksBefore = http.on("/hook").length;
        const silenced = await raise({ type: "black_friday", severity: "low", title: "Orders spike" });
        assert.deepEqual(await enqueueAlert(deps, silenced, at(now, 60)), ["silenced"]);
        await flushDueNotifications(deps, at(now, 120));
        assert.equal(http.on("/hook").length, hooksBefore);
        const deliveries = (await viewer.notifications.deliveries({ id: silenced })).items;
        assert.deepEqual(deliveries.map((d) => [d.contactPoint, d.status]), [["ops webhook", "silenced"]]);
        // after its end the same class of alert is sent again, and the silence is no longer listed
        const later = await raise({ type: "black_friday", severity: "low", title: "Orders spike again" });
        assert.deepEqual(await enqueueAlert(deps, later, at(now, 3601)), ["pending"]);
        await flushDueNotifications(deps, at(now, 3601));
        assert.equal(http.on("/hook").length, hooksBefore + 1);
        await api("analyst").notifications.silences.expire({ id: silence.id });
        assert.ok(!(await viewer.notifications.silences.list()).items.some((s) => s.id === silence.id));
      },
    );

    await t.step("mute timings hold notifications until they end, then send what still fires", async () => {
      const muted = await manager.notifications.contactPoints.create({
        name: "night",
        kind: "slack",
        url: http.url("/night"),
      });
      await manager.notifications.policies.create({
        position: 0,
        matchers: [{ label: "type", op: "=", value: "night_batch" }],
        contactPointId: muted.id,
        groupWaitSeconds: 0,
        // weekdays 22:00-06:00
        muteTimings: [{ days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 }],
      });
      // Thursday 2026-11-26 23:00 UTC: muted until Friday 06:00; both alerts wait in one notification
      const night = new Date("2026-11-26T23:00:00Z");
      const late = await raise({ type: "night_batch", severity: "low", title: "Batch late" });
      assert.deepEqual(await enqueueAlert(deps, late, night), ["held"]);
      const stuck = await raise({ type: "night_batch", severity: "low", title: "Batch stuck" });
      assert.deepEqual(await enqueueAlert(deps, stuck, at(night, 1800)), ["held"]);
      await flushDueNotifications(deps, at(night, 3600));
      assert.equal(http.on("/night").length, 0, "nothing goes out during the timing");
      const held = (await viewer.notifications.deliveries({ id: late })).items[0];
      assert.equal(held.status, "pending");
      assert.deepEqual(held.heldUntil, new Date("2026-11-27T06:00:00Z"));
      // the first is resolved in the night; the one still firing goes out when the timing ends
      await manager.alerts.resolve({ id: late });
      const morning = new Date("2026-11-27T06:00:00Z");
      await flushDueNotifications(deps, morning);
      assert.equal(http.on("/night").length, 1);
      assert.match(http.on("/night")[0].body, /Batch stuck/);
      assert.doesNotMatch(http.on("/night")[0].body, /Batch late/);
      assert.equal((await viewer.notifications.deliveries({ id: stuck })).items[0].status, "sent");
      assert.equal((await viewer.notifications.deliveries({ id: late })).items[0].status, "muted");
      await manager.alerts.resolve({ id: stuck });

      // a group due before the timing but sent during it is held too; resolved by the end, nothing goes
      const evening = new Date("2026-11-27T21:59:00Z");
      const slow = await raise({ type: "night_batch", severity: "low", title: "Batch slow" });
      assert.deepEqual(await enqueueAlert(deps, slow, evening), ["pending"]);
      await flushDueNotifications(deps, new Date("2026-11-27T22:00:00Z"));
      // Friday's window ends at midnight, Saturday not being a muted day
      assert.deepEqual(
        (await viewer.notifications.deliveries({ id: slow })).items[0].heldUntil,
        new Date("2026-11-28T00:00:00Z"),
      );
      await manager.alerts.resolve({ id: slow });
      await flushDueNotifications(deps, new Date("2026-11-28T00:00:00Z"));
      assert.equal(http.on("/night").length, 1);
      const record = (await viewer.notifications.deliveries({ id: slow })).items[0];
      assert.deepEqual([record.status, record.lastError], ["muted", "resolved during the mute timing"]);

      // outside the timing it is sent as usual (Saturday 23:00 is not a muted day)
      const day = await raise({ type: "night_batch", severity: "low", title: "Batch late again" });
      assert.deepEqual(await enqueueAlert(deps, day, new Date("2026-11-28T23:00:00Z")), ["pending"]);
      await flushDueNotifications(deps, new Date("2026-11-28T23:00:00Z"));
      assert.equal(http.on("/night").length, 2);
      assert.match(http.on("/night")[1].body, /Batch late again/);
    });

    await t.step("a failed send is retried with backoff and recorded on the alert", async () => {
      // after the last step's sends, so group interval does not hold this one back
      const now = at(new Date(), 86_400);
      http.state.failWith = 500;
      const id = await raise({ type: "stock", severity: "low", title: "Feed stale" });
      await enqueueAlert(deps, id, now);
      await flushDueNotifications(deps, now);
      let record = (await viewer.notifications.deliveries({ id })).items[0];
      assert.equal(record.status, "retrying");
      assert.equal(record.attempts, 1);
      assert.equal(record.lastError, "HTTP 500");
      const tries = http.on("/hook").length;
      await flushDueNotifications(deps, at(now, 10));
      assert.equal(http.on("/hook").length, tries, "waits for the backoff");
      http.state.failWith = 0;
      await flushDueNotifications(deps, at(now, 31));
      record = (await viewer.notifications.deliveries({ id })).items[0];
      assert.equal(record.status, "sent");
      assert.equal(record.attempts, 2);
      assert.equal(http.on("/hook").length, tries + 1);
    });

    await t.step(
      "a contact point whose name resolves inside is refused at send time, not retried",
      async () => {
        const id = await raise({ type: "dns", severity: "low", title: "Rebinding" });
        const inside = await services.db.sql`
        insert into contact_points (name, kind, url) values ('rebound', 'webhook', 'http://10.1.2.3/x') returning id::int`;
        await services.db.sql`update notification_policies set contact_point_id = ${
          inside[0].id
        } where is_default`;
        const now = at(new Date(), 2 * 86_400);
        await enqueueAlert(deps, id, now);
        await flushDueNotifications(deps, now);
        const record = (await viewer.notifications.deliveries({ id })).items[0];
        assert.equal(record.status, "failed");
        assert.match(record.lastError ?? "", /10\.1\.2\.3.*OUTBOUND_ALLOWLIST/);
      },
    );
  } finally {
    await http.close();
    await smtp.close();
    await close();
  }
});

Deno.test({
  name: "exactly once: two instances on one PostgreSQL database race for the same notifications",
  // the embedded database serves one process; the race needs PostgreSQL and two connection pools
  ignore: !Deno.env.get("DATABASE_URL"),
}, async () => {
  const { services, database, close } = await openTestServices();
  const http = startHttpReceiver();
  const other = connect(database.url, { max: 4 });
  services.config = { ...services.config, OUTBOUND_ALLOWLIST: parseOutboundAllowlist("127.0.0.1") };
  const one = dispatchDeps(services);
  const two = { ...one, sql: other };
  try {
    const [point] = await services.db.sql`
      insert into contact_points (name, kind, url) values ('hook', 'webhook', ${
      http.url("/hook")
    }) returning id::int`;
    await services.db.sql`
      insert into notification_policies (contact_point_id, is_default, group_wait_seconds) values (${point.id}, true, 0)`;
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { alert } = await services.db.sql.begin((tx) =>
        raiseAlert(tx, { type: "race", severity: "low", title: `Alert ${i}` })
      );
      ids.push(alert.id);
    }
    const now = new Date("2026-12-03T12:00:00Z");
    // both instances hear every alert.raised and flush at the same time
    await Promise.all([
      ...ids.flatMap((id) => [enqueueAlert(one, id, now), enqueueAlert(two, id, now)]),
    ]);
    for (let round = 0; round < 3; round++) {
      await Promise.all([flushDueNotifications(one, now), flushDueNotifications(two, now)]);
    }
    const sentTitles = http.on("/hook").flatMap((r) =>
      JSON.parse(r.body).alerts.map((a: { title: string }) => a.title)
    );
    assert.equal(sentTitles.length, 20);
    assert.equal(new Set(sentTitles).size, 20);
  } finally {
    await other.end();
    await http.close();
    await close();
  }
});
