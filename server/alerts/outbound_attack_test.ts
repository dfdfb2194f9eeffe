// Issue #13 findings 5 and 6, replayed over HTTP: forged rule alerts, claimed system keys, webhook
// SSRF at save time, redirects, and webhook URLs shown to viewers.
import assert from "node:assert/strict";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { raiseAlert } from "./alert_queries.ts";
import { evaluateAlertRules } from "./evaluate_rules.ts";
import { deliverAlertWebhooks, signatureHeader, signBody } from "./webhook.ts";

Deno.test("webhooks: no SSRF targets, no forged rule alerts, no claimed system keys, URLs for managers only", async (t) => {
  const received: { path: string; body: string; signature: string | null }[] = [];
  const listener: Deno.HttpServer<Deno.NetAddr> = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen: () => {},
  }, async (request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    received.push({ path, body: await request.text(), signature: request.headers.get(signatureHeader) });
    if (path === "/redirect") {
      return Response.redirect(`http://127.0.0.1:${listener.addr.port}/elsewhere`, 302);
    }
    return new Response("ok");
  });
  const hook = `http://127.0.0.1:${listener.addr.port}/hook`;
  // the listener is the one internal target this instance may call
  const app = await startAuthTestApp({ OUTBOUND_ALLOWLIST: "127.0.0.1" });
  const { sql } = app.services.db;
  const deps = { sql, log: app.services.log, global: {} };
  const delivery = {
    attempts: 2,
    baseDelayMs: 1,
    timeoutMs: 2_000,
    allowlist: app.services.config.OUTBOUND_ALLOWLIST,
  };
  const [manager, analyst, viewer] = await Promise.all(
    ["manager", "analyst", "viewer"].map((name) => signInOverHttp(app, name)),
  );
  const secret = "manager-secret-0123456789";
  const post = (session: typeof manager, path: string, body: unknown, method = "POST") =>
    app.fetch(path, { method, headers: session.headers(), body: JSON.stringify(body) });
  const ruleBody = (name: string, webhookUrl: string | null, enabled = true) => ({
    name,
    metric: "orders",
    comparator: ">=",
    threshold: 0,
    windowMinutes: 60,
    severity: "high",
    enabled,
    webhookUrl,
    webhookSecret: secret,
  });
  try {
    await t.step(
      "internal, odd and credentialed webhook URLs get 400 at save, on create and edit",
      async () => {
        const attacks = [
          "http://169.254.169.254/latest/meta-data/",
          "http://10.0.0.1/",
          "http://[::1]:6379/",
          "http://localhost:5432/",
          "http://0x7f000001/",
          "http://user:pass@127.0.0.1/",
        ];
        for (const [i, url] of attacks.entries()) {
          const response = await post(manager, "/api/v1/alert-rules", ruleBody(`ssrf ${i}`, url));
          assert.equal(response.status, 400, url);
          assert.match((await response.json()).error.message, /^Webhook URL refused\. /, url);
        }
        const [{ count }] = await sql<[{ count: number }]>`select count(*)::int as count from alert_rules`;
        assert.equal(count, 0, "nothing was written");
        const created = await post(manager, "/api/v1/alert-rules", ruleBody("Any order", hook));
        assert.equal(created.status, 201);
        const { id } = await created.json();
        const edit = await post(manager, `/api/v1/alert-rules/${id}`, { webhookUrl: attacks[0] }, "PATCH");
        assert.equal(edit.status, 400);
        assert.match((await edit.json()).error.message, /link-local/);
      },
    );

    const [rule] = await sql<[{ id: number }]>`select id from alert_rules where name = 'Any order'`;
    const disabled = await (await post(manager, "/api/v1/alert-rules", ruleBody("Off", hook, false))).json();

    await t.step("viewers and analysts see a webhook URL's origin only; managers see it whole", async () => {
      for (const session of [viewer, analyst]) {
        const list = await (await app.fetch("/api/v1/alert-rules", { headers: session.headers() })).json();
        assert.ok(
          list.items.every((r: { webhookUrl: string }) =>
            r.webhookUrl === `http://127.0.0.1:${listener.addr.port}/…`
          ),
        );
        const one = await (await app.fetch(`/api/v1/alert-rules/${rule.id}`, { headers: session.headers() }))
          .json();
        assert.equal(one.webhookUrl, `http://127.0.0.1:${listener.addr.port}/…`);
        const csv = await (await app.fetch("/export/alert-rules.csv", { headers: session.headers() }))
          .text();
        assert.doesNotMatch(csv, /\/hook/);
      }
      const managed =
        await (await app.fetch(`/api/v1/alert-rules/${rule.id}`, { headers: manager.headers() })).json();
      assert.equal(managed.webhookUrl, hook);
    });

    await t.step("an analyst cannot raise or claim alerts under system dedupe keys", async () => {
      for (
        const key of [
          `rule:${rule.id}`,
          `rule:${disabled.id}`,
          "low-stock:1",
          "LOW-STOCK:2",
          "fraud-review:3:x",
        ]
      ) {
        const response = await post(analyst, "/api/v1/alerts", {
          severity: "critical",
          title: "forged",
          dedupeKey: key,
        });
        assert.equal(response.status, 400, key);
        assert.match((await response.json()).error.message, /reserved for the server's own alerts/);
      }
      const [{ count }] = await sql<[{ count: number }]>`select count(*)::int as count from alerts`;
      assert.equal(count, 0);
    });

    await t.step("a user's alert goes to no rule's webhook, whatever its type and key", async () => {
      const response = await post(analyst, "/api/v1/alerts", {
        type: "rule",
        severity: "critical",
        title: "forged",
        dedupeKey: `my-rule:${rule.id}`,
      });
      assert.equal(response.status, 201);
      const { alert } = await response.json();
      assert.deepEqual(await deliverAlertWebhooks(deps, alert.id, delivery), []);
      assert.equal(received.length, 0);
    });

    await t.step(
      "a rule's own alert reaches its webhook, signed; a disabled rule's sends nothing",
      async () => {
        const result = await evaluateAlertRules(app.services);
        assert.equal(result.raised.length, 1, "only the enabled rule fires");
        const [raised] = await sql<[{ ruleId: number }]>`
        select rule_id as "ruleId" from alerts where id = ${result.raised[0]}`;
        assert.equal(raised.ruleId, rule.id, "the alert links to its rule by rule_id");
        // the app delivers it on alert.raised; calling again finds the delivery already claimed
        for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        assert.equal(received.length, 1);
        assert.equal(received[0].signature, `sha256=${await signBody(secret, received[0].body)}`);
        const { alert } = await raiseAlert(sql, {
          type: "rule",
          severity: "high",
          title: "old",
          ruleId: disabled.id,
        });
        assert.deepEqual(await deliverAlertWebhooks(deps, alert.id, delivery), []);
        assert.equal(received.length, 1);
      },
    );

    await t.step("a redirect is a failed delivery and its target is never asked", async () => {
      await post(manager, `/api/v1/alert-rules/${disabled.id}`, {
        enabled: true,
        webhookUrl: hook.replace("/hook", "/redirect"),
      }, "PATCH");
      const { alert } = await raiseAlert(sql, {
        type: "rule",
        severity: "high",
        title: "moved",
        ruleId: disabled.id,
      });
      const results = await deliverAlertWebhooks(deps, alert.id, delivery);
      assert.deepEqual(results.map((r) => r.ok), [false]);
      const [row] = await sql<[{ attempts: number; error: string }]>`
        select attempts, last_error as error from alert_deliveries where alert_id = ${alert.id}`;
      assert.equal(row.attempts, 1, "a redirect is not retried");
      assert.match(row.error, /redirects are not followed/);
      assert.deepEqual(received.map((r) => r.path), ["/hook", "/redirect"]);
    });
  } finally {
    await app.stop();
    await listener.shutdown();
  }
});
