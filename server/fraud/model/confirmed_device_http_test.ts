import assert from "node:assert/strict";
import { insertRoleUsers, signInOverHttp } from "../../auth/_auth_fixtures.ts";
import { startTestApp } from "../../testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../transactions/transactions_fixtures.ts";
import {
  CONFIRMED_DEVICES_RECHECK_MS,
  confirmedDevicesNow,
  forgetConfirmedDevices,
  readConfirmedDevices,
} from "./confirmed_device_queries.ts";
import { LINK_RULE_SCORE } from "./combine.ts";
import { DAY_MS } from "./operating_point.ts";

Deno.test("device of confirmed fraud: read from the shop's labels in time order, counted on its record, on the sale and the page", async (t) => {
  const f = { ring: [] as number[], buyer: 0, productId: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      await insertRoleUsers(services);
      const sql = services.db.sql;
      for (let i = 0; i < 12; i++) f.ring.push(await insertCustomer(sql, { name: `Ring account ${i}` }));
      f.buyer = await insertCustomer(sql, { name: "Steady Buyer" });
      f.productId = await insertProduct(sql, { name: "Charger", priceCents: 2_500, stock: 1_000 });
    },
  });
  const sql = app.services.db.sql;
  const analyst = await signInOverHttp(app, "analyst");
  const manager = await signInOverHttp(app, "manager");
  const now = Date.now();
  type Sale = { id: number; fraudScore: number; fraudReasons: { code: string; message: string }[] };
  const buy = async (customerId: number, deviceId: string): Promise<Sale> => {
    const response = await app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: manager.headers({ "content-type": "application/json" }),
      body: JSON.stringify({ customerId, productId: f.productId, paymentMethod: "card", deviceId }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return await response.json();
  };
  const linked = (sale: Sale) => sale.fraudReasons.some((r) => r.code === "confirmed_fraud_device");
  const figures = async () => {
    const response = await app.fetch("/api/v1/fraud/models", { headers: { cookie: analyst.cookie } });
    assert.equal(response.status, 200);
    return (await response.json()).confirmedDevices;
  };
  /** Labeled sales on one device, a day apart, each labeled an hour after it (SQL: history). */
  const history = async (device: string, labels: ("fraud" | "legit")[], startDaysAgo: number) => {
    for (const [i, label] of labels.entries()) {
      const at = new Date(now - (startDaysAgo - i) * DAY_MS);
      await sql`insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents,
          item_count, created_at, device_id, fraud_label, labeled_at, labeled_by)
        values (${`CD-${device}-${i}`}, ${f.ring[i % f.ring.length]}, 'card', 2500, 2500, 1, ${at}, ${device},
          ${label}, ${new Date(at.getTime() + 3_600_000)}, 'test')`;
    }
    forgetConfirmedDevices(sql);
  };
  try {
    await t.step("without labels nothing links and the page says what it waits for", async () => {
      assert.equal(linked(await buy(f.buyer, "RING-PHONE")), false);
      assert.deepEqual(await figures(), { devices: 0, firings: 0, fraud: 0, counts: false });
    });

    await t.step("8 later sales of a confirmed device, all fraud, are not yet enough; 9 are", async () => {
      // months ago: the accounts that shared the device are out of the 30-day link window, the fraud is not
      await history("RING-PHONE", Array(9).fill("fraud"), 170);
      assert.deepEqual(await figures(), { devices: 1, firings: 8, fraud: 8, counts: false });
      assert.equal(linked(await buy(f.buyer, "RING-PHONE")), false);
      await history("RING-TABLET", ["fraud", "fraud"], 150);
      assert.deepEqual(await figures(), { devices: 2, firings: 9, fraud: 9, counts: true });
      const sale = await buy(f.buyer, "RING-PHONE");
      assert.equal(sale.fraudScore, LINK_RULE_SCORE);
      assert.ok(linked(sale), JSON.stringify(sale.fraudReasons));
      assert.equal(
        sale.fraudReasons.find((r) => r.code === "confirmed_fraud_device")?.message,
        "This device was used on CD-RING-PHONE-8, a sale your team confirmed as fraud",
      );
      assert.equal(linked(await buy(f.buyer, "KITCHEN-LAPTOP")), false, "another device is not linked");
      const page = await (await app.fetch("/fraud", { headers: { cookie: analyst.cookie } })).text();
      assert.match(page, /confirmed as fraud \(2 devices in the last 180 days\) goes to review at 75/);
      assert.match(page, /9 of 9 were fraud/);
    });

    await t.step(
      "an analyst's label reaches the next sale at once (the label's event drops the copy)",
      async () => {
        const first = await buy(f.ring[3], "NEW-BURNER");
        assert.equal(linked(first), false);
        const labeled = await app.fetch(`/api/v1/transactions/${first.id}/label`, {
          method: "POST",
          headers: analyst.headers({ "content-type": "application/json" }),
          body: JSON.stringify({ label: "fraud" }),
        });
        assert.equal(labeled.status, 200, await labeled.text());
        assert.ok(linked(await buy(f.ring[4], "NEW-BURNER")));
      },
    );

    await t.step(
      "time order: a label set after a later sale does not count for it, nor before it is set",
      async () => {
        const before = await readConfirmedDevices(sql, new Date(now - 200 * DAY_MS));
        assert.equal(before.devices.size, 0, "as of 200 days ago no fraud was confirmed");
        // a fraud on LATE-LABEL whose label came two days after the next labeled sale on the device
        const at = new Date(now - 100 * DAY_MS);
        await sql`insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents,
          item_count, created_at, device_id, fraud_label, labeled_at, labeled_by)
        values ('CD-LATE-0', ${f.ring[0]}, 'card', 2500, 2500, 1, ${at}, 'LATE-LABEL', 'fraud',
          ${new Date(at.getTime() + 3 * DAY_MS)}, 'test'),
          ('CD-LATE-1', ${f.ring[1]}, 'card', 2500, 2500, 1, ${new Date(at.getTime() + DAY_MS)}, 'LATE-LABEL',
          'legit', ${new Date(at.getTime() + DAY_MS + 3_600_000)}, 'test')`;
        forgetConfirmedDevices(sql);
        const read = await readConfirmedDevices(sql, new Date());
        assert.equal(
          read.record.firings,
          9,
          "the legit sale did not fire: its device's fraud was not known yet",
        );
        const asOf = await readConfirmedDevices(sql, new Date(at.getTime() + 2 * DAY_MS));
        assert.equal(asOf.devices.fires("LATE-LABEL", at.getTime() + 2 * DAY_MS), false, "label not set yet");
      },
    );

    await t.step(
      "where later sales of confirmed devices are mostly honest (a family phone), it does not count",
      async () => {
        await history("FAMILY-PHONE", ["fraud", ...Array(12).fill("legit")], 120);
        const read = await figures();
        assert.equal(read.counts, false, JSON.stringify(read));
        assert.equal(read.firings, 21);
        assert.equal(
          linked(await buy(f.buyer, "RING-PHONE")),
          false,
          "no longer counted anywhere in the shop",
        );
        const page = await app.fetch("/fraud", { headers: { cookie: analyst.cookie } });
        const html = await page.text();
        assert.match(html, /Not counted in this shop:<\/strong> a device your team confirmed as fraud/);
        assert.match(html, /of 21 were fraud/);
      },
    );

    await t.step("each instance reads its copy once, and again after 10 minutes", async () => {
      const deps = { sql, bus: app.services.bus };
      forgetConfirmedDevices(sql);
      const at = Date.now();
      const first = confirmedDevicesNow(deps, new Date(at));
      assert.equal(
        confirmedDevicesNow(deps, new Date(at - 5)),
        first,
        "a sale whose clock was read just before",
      );
      assert.equal(confirmedDevicesNow(deps, new Date(at + CONFIRMED_DEVICES_RECHECK_MS - 1)), first);
      const later = confirmedDevicesNow(deps, new Date(at + CONFIRMED_DEVICES_RECHECK_MS));
      assert.notEqual(later, first);
      assert.deepEqual((await later).record, (await first).record);
    });
  } finally {
    await app.stop();
  }
});
