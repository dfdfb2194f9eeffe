// Every mutation of business data or access writes an audit row. The list of mutations comes from the
// router itself, so a new mutation without a case here (or without an audit row) fails this test.
import assert from "node:assert/strict";
import { isKnownAuditAction } from "../../components/audit_actions.ts";
import { insertPurchaseOrder } from "../inventory/purchase_order_queries.ts";
import { runInventoryPredictions } from "../inventory/predictions_job.ts";
import { runReorderSuggestions } from "../inventory/reorder_suggestions_job.ts";
import { raiseAlert } from "../alerts/alert_queries.ts";
import {
  insertDailySales,
  insertOffer,
  insertProduct,
  insertSupplier,
} from "../inventory/inventory_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer } from "../transactions/transactions_fixtures.ts";
import { appRouter } from "../api/app_router.ts";
import { insertRoleUsers } from "./_auth_fixtures.ts";
import { createSession } from "./sessions.ts";
import { createUpload, storeUploadedFile } from "../import/upload_queries.ts";

const auditMapping = {
  name: "audit-mapping",
  description: "a mapping saved by the audit test",
  columns: ["ref", "when", "sku", "qty", "price"],
  orderRef: { column: "ref" },
  createdAt: { column: "when" },
  product: { sku: { column: "sku" }, name: { column: "sku" } },
  quantity: { column: "qty" },
  unitPrice: { column: "price" },
  status: { value: "completed" },
};

/** Every mutation's dotted path, read from the router. */
function routerMutations(): string[] {
  const procedures = (appRouter as unknown as {
    _def: { procedures: Record<string, { _def: { type: string } }> };
  })._def.procedures;
  return Object.entries(procedures).filter(([, p]) => p._def.type === "mutation").map(([path]) => path)
    .sort();
}

// Mutations that change nothing stored, and why
const writesNothing: Record<string, string> = {
  "fraud.rules.backtest": "replays candidate rules over labeled history and returns figures; stores nothing",
  "imports.dryRun": "writes the import in a transaction it rolls back: what an import would do, nothing kept",
};

Deno.test("every mutation in the router writes an audit row naming who did it", async (t) => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  const ids = await insertRoleUsers(services);
  const as = (role: "analyst" | "manager" | "admin") => api(role, { userId: ids[role], username: role });
  try {
    // a shop with three products short of stock, so there are suggestions to decide on
    const supplier = await insertSupplier(sql, { name: "AuditCo", reliability: 0.9 });
    const products: number[] = [];
    const firstDay = new Date(Date.now() - 56 * 86_400_000).toISOString().slice(0, 10);
    for (const name of ["Audit Phone", "Audit Case", "Audit Cable", "Audit Dock"]) {
      const product = await insertProduct(sql, { name, stock: 20, category: "Phones" });
      await insertOffer(sql, {
        productId: product,
        supplierId: supplier,
        unitCostCents: 1000,
        leadTimeDays: 5,
      });
      await insertDailySales(sql, product, firstDay, new Array(56).fill(10));
      products.push(product);
    }
    await runInventoryPredictions(services);
    await runReorderSuggestions(services);
    const suggestions = (await as("manager").inventory.reorderSuggestions({})).items.map((s) => s.id);
    assert.ok(suggestions.length >= 4, `suggestions: ${suggestions}`);
    const customerId = await insertCustomer(sql);
    const alertOf = async (title: string) =>
      (await raiseAlert(sql, { type: "custom", severity: "low", title, message: "" })).alert.id;
    let saleId = 0;
    let ruleId = 0;
    let tokenId = 0;
    let userId = 0;
    let purchaseOrderId = 0;
    let calendarEventId = 0;
    let modelVersion = 0;
    let integrationId = 0;
    let contactPointId = 0;
    let policyId = 0;
    let silenceId = 0;
    let subscriptionId = 0;

    const cases: Record<string, () => Promise<unknown>> = {
      "alerts.create": () => as("analyst").alerts.create({ severity: "low", title: "Printer jammed" }),
      "alerts.acknowledge": async () =>
        as("analyst").alerts.acknowledge({ id: await alertOf("to acknowledge") }),
      "alerts.snooze": async () =>
        as("analyst").alerts.snooze({ id: await alertOf("to snooze"), minutes: 30 }),
      "alerts.resolve": async () =>
        as("manager").alerts.resolve({ id: await alertOf("to resolve"), note: "done" }),
      "alerts.delete": async () => as("manager").alerts.delete({ id: await alertOf("to delete") }),
      "alerts.rules.create": async () => {
        ruleId = (await as("manager").alerts.rules.create({
          name: "Audit rule",
          metric: "orders",
          comparator: ">",
          threshold: 100,
          windowMinutes: 60,
          severity: "low",
        })).id;
      },
      "alerts.rules.update": () => as("manager").alerts.rules.update({ id: ruleId, threshold: 200 }),
      "alerts.rules.delete": () => as("manager").alerts.rules.delete({ id: ruleId }),
      "inventory.recompute": () => as("manager").inventory.recompute({ product_id: products[0] }),
      "inventory.approveSuggestion": async () => {
        purchaseOrderId =
          (await as("manager").inventory.approveSuggestion({ id: suggestions[0] })).purchaseOrder.id;
      },
      "inventory.approveSuggestions": () =>
        as("manager").inventory.approveSuggestions({ ids: [suggestions[1]] }),
      "inventory.rejectSuggestion": () =>
        as("manager").inventory.rejectSuggestion({ id: suggestions[2], reason: "Discontinued" }),
      "inventory.snoozeSuggestion": () =>
        as("manager").inventory.snoozeSuggestion({
          id: suggestions[3],
          until: new Date(Date.now() + 7 * 86_400_000),
        }),
      "inventory.setSupplierWeights": () =>
        as("manager").inventory.setSupplierWeights({ price: 0.5, reliability: 0.3, delivery: 0.2 }),
      "purchaseOrders.receive": () => as("manager").purchaseOrders.receive({ id: purchaseOrderId }),
      "calendarEvents.create": async () => {
        calendarEventId = (await as("manager").calendarEvents.create({
          kind: "promotion",
          name: "Audit sale",
          startsOn: "2030-01-10",
          endsOn: "2030-01-12",
        })).id;
      },
      "calendarEvents.delete": () => as("manager").calendarEvents.delete({ id: calendarEventId }),
      "inventory.setSupplierTerms": () =>
        as("manager").inventory.setSupplierTerms({
          productId: products[1],
          supplierId: supplier,
          orderMultiple: 6,
          priceBreaks: [{ minQty: 60, unitCostCents: 900 }],
        }),
      "purchaseOrders.closeShort": async () => {
        const id = await sql.begin((tx) =>
          insertPurchaseOrder(tx, {
            supplierId: supplier,
            lines: [{
              productId: products[0],
              suggestionId: null,
              quantity: 10,
              unitCostCents: 1000,
              leadTimeDays: 5,
            }],
            orderedBy: null,
            now: new Date(),
          })
        );
        await as("manager").purchaseOrders.receive({ id, lines: [{ productId: products[0], quantity: 4 }] });
        await as("manager").purchaseOrders.closeShort({ id, reason: "Supplier discontinued it" });
      },
      "products.create": () =>
        as("manager").products.create({
          sku: "AUD-1",
          name: "Audit Mic",
          category: "Audio",
          priceCents: 4_999,
        }),
      "products.update": () => as("manager").products.update({ id: products[1], priceCents: 1_234 }),
      "transactions.create": async () => {
        saleId = (await as("manager").transactions.create({
          customerId,
          productId: products[2],
          paymentMethod: "card",
        })).id;
      },
      "transactions.label": () => as("analyst").transactions.label({ id: saleId, label: "legit" }),
      "transactions.refund": () => as("manager").transactions.refund({ id: saleId, reason: "Faulty" }),
      "transactions.refundLines": async () => {
        const { id } = await as("manager").transactions.create({
          customerId,
          productId: products[3],
          quantity: 2,
          paymentMethod: "card",
        });
        await as("manager").transactions.refundLines({
          id,
          lines: [{ productId: products[3], quantity: 1, restock: false }],
          reason: "Broken",
        });
      },
      "transactions.cancel": async () => {
        const { id } = await as("manager").transactions.create({
          customerId,
          productId: products[3],
          paymentMethod: "card",
        });
        await as("manager").transactions.cancel({ id, reason: "Changed mind" });
      },
      "fraud.rules.save": async () => {
        const active = await as("admin").fraud.rules.get({});
        const { version: _version, ...rules } = active.rules;
        await as("admin").fraud.rules.save({ rules, note: "Audit test", activate: false });
      },
      "fraud.rules.activate": async () => {
        const versions = await as("admin").fraud.rules.versions({});
        await as("admin").fraud.rules.activate({ version: versions[0].version });
      },
      "fraud.lists.put": () =>
        as("analyst").fraud.lists.put({ customerId, list: "allow", reason: "Regular" }),
      "fraud.lists.remove": () => as("analyst").fraud.lists.remove({ customerId }),
      "jobs.runNow": () => as("admin").jobs.runNow({ name: "slow-queries" }),
      "auth.logout": async () => {
        const session = await createSession(sql, ids.viewer);
        await api("viewer", { userId: ids.viewer, username: "viewer", sessionId: session.id }).auth.logout();
      },
      "auth.logoutEverywhere": () =>
        api("viewer", { userId: ids.viewer, username: "viewer" }).auth.logoutEverywhere(),
      "auth.changePassword": async () => {
        const session = await createSession(sql, ids.analyst);
        await api("analyst", {
          userId: ids.analyst,
          username: "analyst",
          sessionId: session.id,
          via: "session",
        })
          .auth.changePassword({
            currentPassword: "correct horse battery staple",
            newPassword: "audited passphrase",
          });
      },
      "users.create": async () => {
        userId = (await as("admin").users.create({
          username: "audited",
          role: "viewer",
          password: "a long passphrase",
        }))
          .id;
      },
      "users.setRole": () => as("admin").users.setRole({ id: userId, role: "analyst" }),
      "users.setDisabled": () => as("admin").users.setDisabled({ id: userId, disabled: true }),
      "users.resetPassword": () =>
        as("admin").users.resetPassword({ id: userId, password: "another passphrase" }),
      "tokens.create": async () => {
        tokenId = (await as("admin").tokens.create({ name: "audit", role: "viewer" })).id;
      },
      "tokens.revoke": () => as("admin").tokens.revoke({ id: tokenId }),
      "users.clearSignInThrottle": () => as("admin").users.clearSignInThrottle({ id: userId }),
      "fraud.models.train": async () => {
        // a labeled history big enough to train on: 240 sales, one in five labeled fraud
        await sql`
          insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
            discount_cents, total_cents, item_count, fraud_score, fraud_decision, fraud_reasons, fraud_label,
            labeled_by, labeled_at, created_at, updated_at)
          select 'AUDIT-' || g, ${customerId}, 'completed', 'card', 'web', 1000 * g, 0, 1000 * g, 1, 0, 'allow',
            '[]', case when g % 5 = 0 then 'fraud' else 'legit' end, 'audit', now(),
            now() - make_interval(hours => g), now() - make_interval(hours => g)
          from generate_series(1, 240) g`;
        modelVersion = (await as("admin").fraud.models.train()).version;
      },
      "fraud.models.activate": () => as("admin").fraud.models.activate({ version: modelVersion }),
      "fraud.settings.set": () => as("admin").fraud.settings.set({ coldStartMaxReviewRate: 0.08 }),
      "integrations.create": async () => {
        integrationId = (await as("admin").integrations.create({ kind: "generic", name: "audit-feed" })).id;
      },
      "integrations.setEnabled": () =>
        as("admin").integrations.setEnabled({ id: integrationId, enabled: false }),
      "notifications.contactPoints.create": async () => {
        contactPointId = (await as("manager").notifications.contactPoints.create({
          name: "audit email",
          kind: "email",
          recipients: ["ops@example.com"],
        })).id;
      },
      "notifications.contactPoints.update": () =>
        as("manager").notifications.contactPoints.update({
          id: contactPointId,
          name: "audit email 2",
          kind: "email",
          recipients: ["ops@example.com"],
        }),
      // no SMTP_URL in tests: the test send answers that it failed, and the attempt is still audited
      "notifications.contactPoints.test": () =>
        as("manager").notifications.contactPoints.test({ id: contactPointId }),
      "notifications.policies.create": async () => {
        policyId = (await as("manager").notifications.policies.create({ contactPointId })).id;
      },
      "notifications.policies.update": () =>
        as("manager").notifications.policies.update({ id: policyId, contactPointId, position: 2 }),
      "notifications.policies.delete": () => as("manager").notifications.policies.delete({ id: policyId }),
      "notifications.contactPoints.delete": () =>
        as("manager").notifications.contactPoints.delete({ id: contactPointId }),
      "notifications.silences.create": async () => {
        silenceId = (await as("analyst").notifications.silences.create({
          matchers: [{ label: "severity", op: "=", value: "low" }],
          endsAt: new Date(Date.now() + 3_600_000),
          comment: "audit",
        })).id;
      },
      "notifications.silences.expire": () => as("analyst").notifications.silences.expire({ id: silenceId }),
      "notifications.reportSubscriptions.subscribe": async () => {
        subscriptionId = (await as("manager").notifications.reportSubscriptions.subscribe({
          period: "daily",
          email: "manager@example.com",
        })).id;
      },
      "notifications.reportSubscriptions.unsubscribe": () =>
        as("manager").notifications.reportSubscriptions.unsubscribe({ id: subscriptionId }),
      "imports.saveMapping": () => as("admin").imports.saveMapping({ spec: auditMapping }),
      "imports.run": async () => {
        const uploadId = await createUpload(sql, ids.admin);
        const csv =
          "code,name,email,country,loyalty_tier,created_at\nAUD-C1,Audit Customer,,GB,bronze,2026-01-01T00:00:00Z\n";
        await storeUploadedFile(
          sql,
          uploadId,
          "customers.csv",
          ReadableStream.from([new TextEncoder().encode(csv)]),
          1024,
        );
        await as("admin").imports.run({ uploadId, mapping: {} });
        // the import goes on after the answer: wait for it, so nothing is left running
        for (let i = 0; i < 300; i++) {
          const progress = await as("admin").imports.progress({ uploadId });
          if (progress.state === "done" || progress.state === "failed") break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    };

    const mutations = routerMutations();
    assert.deepEqual(
      Object.keys(cases).concat(Object.keys(writesNothing)).sort(),
      mutations,
      "every mutation of the router has a case here (and no case is left for a removed one)",
    );
    // in the order written above: later cases use what earlier ones made
    for (const path of Object.keys(cases)) {
      await t.step(`${path} writes an audit row`, async () => {
        const [{ last }] = await sql<
          [{ last: number }]
        >`select coalesce(max(id), 0)::int as last from audit_log`;
        await cases[path]();
        const rows = await sql<{ action: string; actorName: string }[]>`
          select action, actor_name as "actorName" from audit_log where id > ${last} order by id`;
        assert.ok(rows.length >= 1, `${path} wrote no audit row`);
        assert.ok(rows.every((row) => row.actorName !== "system"), `${path}: ${JSON.stringify(rows)}`);
        // the audit page says every action in words (components/audit_actions.ts)
        const unnamed = rows.filter((row) => !isKnownAuditAction(row.action)).map((row) => row.action);
        assert.deepEqual(unnamed, [], `${path} writes an action the audit page has no words for`);
      });
    }
  } finally {
    await close();
  }
});
