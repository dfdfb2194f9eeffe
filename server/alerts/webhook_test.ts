import assert from "node:assert/strict";
import { parseOutboundAllowlist } from "../outbound/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { until } from "../testing/events.ts";
import { publishAlert, raiseAlert } from "./alert_queries.ts";
import { startAlertRuleEvaluation } from "./evaluate_rules.ts";
import { createRule } from "./rule_queries.ts";
import { deliverAlertWebhooks, retryDelays, signatureHeader, signBody } from "./webhook.ts";

/** An alert rule on refunds, with a webhook of its own. */
const refundRule = (name: string, webhookUrl: string, webhookSecret: string | null) =>
  ({
    name,
    metric: "refunded_transactions",
    comparator: ">",
    threshold: 3,
    windowMinutes: 60,
    severity: "medium",
    pendingSeconds: 0,
    cooldownSeconds: 600,
    enabled: true,
    webhookUrl,
    webhookSecret,
  }) as const;

// the test receivers listen on loopback, which only an allowlist lets webhooks reach
const loopbackAllowed = parseOutboundAllowlist("127.0.0.1");

Deno.test("signBody() is the HMAC-SHA256 of the body (RFC 4231 test case 2)", async () => {
  assert.equal(
    await signBody("Jefe", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("retryDelays() doubles from the base delay", () => {
  assert.deepEqual(retryDelays(5, 100), [100, 200, 400, 800]);
  assert.deepEqual(retryDelays(1, 100), []);
});

Deno.test("deliverAlertWebhooks() signs, retries until the receiver answers, and delivers once", async () => {
  const received: { body: string; signature: string | null }[] = [];
  let failuresLeft = 2;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
    received.push({ body: await request.text(), signature: request.headers.get(signatureHeader) });
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return new Response("busy", { status: 503 });
    }
    return new Response("ok");
  });
  const url = `http://127.0.0.1:${server.addr.port}/hook`;
  const { services, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const secret = "rule-secret-0123456789";
    const rule = await createRule(sql, refundRule("Refund spike", url, secret), "test");
    const { alert } = await raiseAlert(sql, {
      type: "rule",
      severity: "medium",
      title: "Refund spike",
      dedupeKey: `rule:${rule.id}`,
      ruleId: rule.id,
    });
    const deps = { sql, log: services.log, global: {} };
    const options = { attempts: 4, baseDelayMs: 5, timeoutMs: 2_000, allowlist: loopbackAllowed };
    // two instances hear the same event: one delivers
    const [a, b] = await Promise.all([
      deliverAlertWebhooks(deps, alert.id, options),
      deliverAlertWebhooks(deps, alert.id, options),
    ]);
    assert.deepEqual([...a, ...b], [{ url, ok: true }]);
    assert.equal(received.length, 3);
    const last = received[2];
    assert.equal(JSON.parse(last.body).alert.id, alert.id);
    assert.equal(last.signature, `sha256=${await signBody(secret, last.body)}`);
    const [delivery] = await sql<[{ status: string; attempts: number; code: number }]>`
      select status, attempts, last_status_code as code from alert_deliveries where alert_id = ${alert.id}`;
    assert.deepEqual(delivery, { status: "delivered", attempts: 3, code: 200 });
  } finally {
    await close();
    await server.shutdown();
  }
});

Deno.test("deliverAlertWebhooks() records a failure after the last attempt", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => new Response("no", { status: 500 }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/hook`;
  const { services, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const { alert } = await raiseAlert(sql, { type: "custom", severity: "low", title: "x" });
    const results = await deliverAlertWebhooks(
      { sql, log: services.log, global: { url, secret: "global-secret-0123456789" } },
      alert.id,
      { attempts: 2, baseDelayMs: 1, timeoutMs: 2_000, allowlist: loopbackAllowed },
    );
    assert.deepEqual(results, [{ url, ok: false }]);
    const [delivery] = await sql<[{ status: string; attempts: number; error: string }]>`
      select status, attempts, last_error as error from alert_deliveries where alert_id = ${alert.id}`;
    assert.deepEqual(delivery, { status: "failed", attempts: 2, error: "HTTP 500" });
  } finally {
    await close();
    await server.shutdown();
  }
});

Deno.test("alert.raised goes to the webhooks an alert may have: its rule's, and the global one for any alert", async () => {
  const received: { path: string; body: string }[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
    received.push({ path: new URL(request.url).pathname, body: await request.text() });
    return new Response("ok");
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const { services, close } = await openTestServices();
  services.config = { ...services.config, OUTBOUND_ALLOWLIST: loopbackAllowed };
  const { sql } = services.db;
  // listens to the bus; evaluates no rule in this test (long debounce and interval)
  const stop = startAlertRuleEvaluation(services, {
    debounceMs: 600_000,
    intervalMs: 600_000,
    delivery: { attempts: 2, baseDelayMs: 5, timeoutMs: 2_000 },
  });
  const delivered = (path: string, id: number) =>
    received.some((r) => r.path === path && JSON.parse(r.body).alert.id === id);
  try {
    const rule = await createRule(sql, refundRule("Refund burst", `${base}/rule`, null), "test");
    // as the evaluator raises it: about its rule, under its key, with its id
    const ruleAlert = await raiseAlert(sql, {
      type: "rule",
      severity: "medium",
      title: "Refund burst",
      entityType: "alert_rule",
      entityId: rule.id,
      dedupeKey: `rule:${rule.id}`,
      ruleId: rule.id,
    });
    await publishAlert(services.bus, ruleAlert);
    await until(() => delivered("/rule", ruleAlert.alert.id), "the rule's webhook");

    // with a global webhook, an alert of any kind (a sale's fraud review here) goes there
    services.config = { ...services.config, ALERT_WEBHOOK_URL: `${base}/global` };
    const fraud = await raiseAlert(sql, {
      type: "fraud_review",
      severity: "high",
      title: "Review transactions of Bo",
      entityType: "customer",
      entityId: 1,
      dedupeKey: `fraud-review:1:${new Date().toISOString()}`,
    });
    await publishAlert(services.bus, fraud);
    await until(() => delivered("/global", fraud.alert.id), "the global webhook");
    assert.ok(!delivered("/rule", fraud.alert.id), "no rule's webhook for an alert no rule raised");
  } finally {
    await stop();
    await close();
    await server.shutdown();
  }
});
