import assert from "node:assert/strict";
import type { TRPCError } from "@trpc/server";
import { insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { insertRoleUsers } from "../auth/_auth_fixtures.ts";
import { parseOutboundAllowlist } from "../outbound/mod.ts";
import { until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import { startSmtpReceiver } from "./_test_receivers.ts";
import { deliverDueReports } from "./report_delivery.ts";
import { dueReportKey } from "./report_email.ts";
import { reportDeliveryDeps } from "./start_notifications.ts";

Deno.test("which report is due follows the store's clock", () => {
  // Monday 2026-11-30 06:30 UTC is 07:30 in Paris and 01:30 in New York
  const now = new Date("2026-11-30T06:30:00Z");
  assert.equal(dueReportKey("daily", 7, now, "Europe/Paris"), "2026-11-29");
  assert.equal(dueReportKey("daily", 7, now, "UTC"), null);
  assert.equal(dueReportKey("weekly", 7, now, "Europe/Paris"), "2026-11-23");
  assert.equal(dueReportKey("weekly", 1, now, "America/New_York"), "2026-11-23");
  assert.equal(dueReportKey("weekly", 7, new Date("2026-12-01T08:00:00Z"), "UTC"), null);
});

Deno.test("daily and weekly report emails: HTML, CSV attached, once each, unsubscribe by link", async (t) => {
  const { services, api, close } = await openTestServices();
  const smtp = await startSmtpReceiver();
  services.config = {
    ...services.config,
    OUTBOUND_ALLOWLIST: parseOutboundAllowlist("127.0.0.1"),
    SMTP_URL: smtp.url,
    STORE_TZ: "Europe/London",
    PUBLIC_URL: "https://techmart.example",
  };
  const deps = reportDeliveryDeps(services);
  const { sql } = services.db;
  try {
    const users = await insertRoleUsers(services);
    const viewer = api("viewer", { userId: users.viewer });
    const gpu = await insertProduct(sql, { category: "GPU", priceCents: 45_000, stock: 100 });
    // Sunday 29 November: two GPUs; Wednesday 25th: one
    await insertHistoricalSale(sql, {
      at: new Date("2026-11-29T12:00:00Z"),
      items: [{ productId: gpu, quantity: 2 }],
    });
    await insertHistoricalSale(sql, {
      at: new Date("2026-11-25T12:00:00Z"),
      items: [{ productId: gpu, quantity: 1 }],
    });
    await viewer.notifications.reportSubscriptions.subscribe({
      period: "daily",
      email: "boss@example.com",
      sendHour: 7,
    });
    await viewer.notifications.reportSubscriptions.subscribe({
      period: "weekly",
      email: "boss@example.com",
      sendHour: 7,
    });

    await t.step(
      "nothing before the send hour, both reports after it, once; open tabs hear of it",
      async () => {
        // Only the deliveries' own news counts: with Redis the bus hands events back through a
        // subscription, so the subscribe calls above may announce theirs after this step began.
        const changes: string[] = [];
        const stop = services.bus.subscribe((event) => {
          if (event.type === "notifications.changed" && event.data.what === "report emails") {
            changes.push(event.data.what);
          }
        });
        assert.equal(await deliverDueReports(deps, new Date("2026-11-30T06:59:00Z")), 0);
        assert.deepEqual(changes, [], "nothing went out, nothing to tell");
        assert.equal(await deliverDueReports(deps, new Date("2026-11-30T07:10:00Z")), 2);
        assert.equal(await deliverDueReports(deps, new Date("2026-11-30T09:00:00Z")), 0);
        await until(() => changes.length > 0, "the report emails announcement");
        // a moment more, so that a second (wrong) announcement would be here too
        await new Promise((r) => setTimeout(r, 100));
        stop();
        assert.deepEqual(changes, ["report emails"]);
        await until(() => smtp.mails.length >= 2, "two emails");
        assert.equal(smtp.mails.length, 2);
      },
    );

    await t.step("the daily email: figures in pounds, the day's CSV attached", () => {
      const mail = smtp.mails.find((m) => m.subject === "TechMart daily sales report: 2026-11-29")!;
      assert.ok(mail, smtp.mails.map((m) => m.subject).join(", "));
      assert.match(mail.html || "", /£900\.00/);
      assert.match(mail.text ?? "", /Orders: 1/);
      const [csv] = mail.attachments;
      assert.equal(csv.filename, "techmart-daily-sales-2026-11-29.csv");
      const lines = csv.content.toString("utf8").trim().split("\r\n");
      assert.match(lines[0], /^date,section,key/);
      assert.equal(lines[1], "2026-11-29,total,,,1,2,90000,0");
    });

    await t.step("the weekly email sums Monday to Sunday and attaches every day under one header", () => {
      const mail = smtp.mails.find((m) => m.subject?.startsWith("TechMart weekly"))!;
      assert.equal(mail.subject, "TechMart weekly sales report: 2026-11-23 to 2026-11-29");
      assert.match(mail.html || "", /£1,350\.00/);
      const csv = mail.attachments[0].content.toString("utf8");
      assert.equal(csv.match(/^date,section/gm)?.length, 1);
      assert.equal(csv.match(/,total,/g)?.length, 7);
    });

    await t.step("history shows what was sent", async () => {
      const history = (await viewer.notifications.reportSubscriptions.deliveries()).items;
      assert.deepEqual(
        history.map((d) => [d.period, d.periodKey, d.status]).sort(),
        [["daily", "2026-11-29", "sent"], ["weekly", "2026-11-23", "sent"]],
      );
    });

    await t.step("the email's unsubscribe link ends the subscription, once", async () => {
      const mail = smtp.mails.find((m) => m.subject?.startsWith("TechMart daily"))!;
      const link = new URL((mail.text ?? "").match(/Unsubscribe: (\S+)/)![1]);
      assert.equal(link.origin, "https://techmart.example");
      assert.equal(link.pathname, "/api/v1/report-subscriptions/unsubscribe");
      const token = link.searchParams.get("token")!;
      const anonymous = api(null);
      assert.deepEqual(
        await anonymous.notifications.reportSubscriptions.unsubscribeByToken({ token }),
        { unsubscribed: true, period: "daily" },
      );
      await assert.rejects(
        anonymous.notifications.reportSubscriptions.unsubscribeByToken({ token }),
        (e: TRPCError) => e.code === "NOT_FOUND",
      );
      await assert.rejects(
        anonymous.notifications.reportSubscriptions.unsubscribeByToken({ token: "x".repeat(43) }),
        (e: TRPCError) => e.code === "NOT_FOUND",
      );
      // Tuesday: no daily email any more
      assert.equal(await deliverDueReports(deps, new Date("2026-12-01T08:00:00Z")), 0);
      assert.deepEqual(
        (await viewer.notifications.reportSubscriptions.list()).items.map((s) => s.period),
        ["weekly"],
      );
    });

    await t.step(
      "managers see everyone's subscriptions with their state and last email, and end one",
      async () => {
        const manager = api("manager", { userId: users.manager });
        await assert.rejects(
          viewer.notifications.reportSubscriptions.all(),
          (e: TRPCError) => e.code === "FORBIDDEN",
        );
        // the unsubscribe by link in the step before announces itself too, maybe late (see above)
        const changes: string[] = [];
        const stop = services.bus.subscribe((event) => {
          if (event.type !== "notifications.changed") return;
          if (event.data.what.endsWith("unsubscribeByToken")) return;
          changes.push(event.data.what);
        });
        try {
          const all = (await manager.notifications.reportSubscriptions.all()).items;
          // the active one first, the one ended by its link after
          assert.deepEqual(
            all.map((s) => [s.username, s.period, s.unsubscribedAt === null, s.lastDelivery?.status]),
            [["viewer", "weekly", true, "sent"], ["viewer", "daily", false, "sent"]],
          );
          assert.equal(all[0].lastDelivery?.periodKey, "2026-11-23");
          // a viewer cannot end someone else's; a manager can
          const other = api("analyst", { userId: users.analyst });
          await assert.rejects(
            other.notifications.reportSubscriptions.unsubscribe({ id: all[0].id }),
            (e: TRPCError) => e.code === "NOT_FOUND",
          );
          await manager.notifications.reportSubscriptions.unsubscribe({ id: all[0].id });
          assert.deepEqual((await viewer.notifications.reportSubscriptions.list()).items, []);
          assert.ok(
            (await manager.notifications.reportSubscriptions.all()).items.every((s) => s.unsubscribedAt),
          );
          await until(() => changes.length > 0, "the unsubscribe announcement");
          await new Promise((r) => setTimeout(r, 100));
          assert.deepEqual(changes, ["notifications.reportSubscriptions.unsubscribe"]);
        } finally {
          stop();
        }
      },
    );
  } finally {
    await smtp.close();
    await close();
  }
});
