import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { FRAUD_STREAM_COLUMNS, type FraudStreamRow, fraudStreamToCsv } from "../fraud_stream.ts";
import { parseLabeledRow } from "../../server/fraud/evaluate.ts";
import { IDENTITY_CSV_COLUMNS, parseIdentityText } from "../../server/fraud/model/identity_schema.ts";
import { generateWholesaleSupplies } from "./wholesale_supplies.ts";
import { generateMobileMarketplace } from "./mobile_marketplace.ts";
import { ALL_GENERATORS, CHECK_GENERATORS, FRAUD_GENERATORS, generatorsByLetter } from "./mod.ts";

const F = (seed: number) => generateWholesaleSupplies({ seed, companies: 150 });
const G = (seed: number) => generateMobileMarketplace({ seed, customers: 1_500 });

/** Every row valid as a labeled row and its identity as the API validates it; orders consistent. */
function assertValid(rows: readonly FraudStreamRow[]) {
  let previous = "";
  const orders = new Map<string, FraudStreamRow>();
  for (const raw of rows) {
    const row = parseLabeledRow(raw);
    assert.ok(raw.timestamp >= previous, `${raw.transaction_id} out of time order`);
    previous = raw.timestamp;
    assert.ok(row.customer_created_at <= row.timestamp, `${raw.transaction_id} precedes its account`);
    const text = Object.fromEntries(
      Object.entries(IDENTITY_CSV_COLUMNS).map(([column, key]) => [key, raw[column as keyof FraudStreamRow]]),
    );
    const identity = parseIdentityText(text);
    assert.ok(typeof identity === "object", `${raw.transaction_id}: ${identity}`);
    const first = orders.get(raw.transaction_id);
    if (first) {
      // The lines of one order share everything but the product.
      for (
        const key of ["timestamp", "customer_id", "status", "is_fraud", "device_id", "card_bin"] as const
      ) {
        assert.equal(raw[key], first[key], `${raw.transaction_id} ${key}`);
      }
    } else orders.set(raw.transaction_id, raw);
  }
  return [...orders.values()];
}

for (
  const [name, generate, low, high, scenarios] of [
    ["F wholesale supplies", F, 0.01, 0.08, [
      "legit_restock",
      "legit_equipment_refresh",
      "legit_onboarding",
      "legit_card_limit",
      "bust_out_buildup_paid",
      "fraud_bust_out",
      "fraud_distributed_card_testing",
      "fraud_business_takeover",
      "fraud_stolen_card_new_business",
    ]],
    ["G mobile marketplace", G, 0.05, 0.14, [
      "legit_first_order",
      "legit_repeat",
      "legit_flash_deal",
      "fraud_promotion_abuse",
      "fraud_refund_abuse",
      "fraud_scalper_bot",
      "fraud_sim_swap_takeover",
      "fraud_friendly_chargeback",
    ]],
  ] as const
) {
  Deno.test(`${name}: the same seed gives the same rows, another seed other rows`, () => {
    assert.deepEqual(generate(5), generate(5));
    assert.notDeepEqual(generate(5).slice(0, 50), generate(6).slice(0, 50));
  });

  Deno.test(`${name}: rows valid, time-ordered, labels of both kinds at the generator's fraud rate`, () => {
    const rows = generate(7);
    const orders = assertValid(rows);
    const fraud = orders.filter((o) => o.is_fraud === 1).length;
    assert.ok(fraud / orders.length > low && fraud / orders.length < high, `${fraud} of ${orders.length}`);
    const seen = new Set(orders.map((o) => o.scenario));
    for (const scenario of scenarios) assert.ok(seen.has(scenario), scenario);
    // Labels follow the scenario: every fraud typology is labeled fraud, every honest population legit.
    for (const o of orders) assert.equal(o.is_fraud, o.scenario!.startsWith("fraud_") ? 1 : 0, o.scenario);
  });

  Deno.test(`${name}: the CSV writes the bench's columns and reads back the same rows`, () => {
    const rows = generate(8).slice(0, 300);
    const csv = fraudStreamToCsv(rows);
    assert.ok(csv.startsWith(FRAUD_STREAM_COLUMNS.join(",")));
    const parsed = parse(csv, { columns: true }) as Record<string, string>[];
    assert.deepEqual(parsed.map(parseLabeledRow), rows.map(parseLabeledRow));
  });
}

Deno.test("F: honest companies share office addresses, cards and workstations; some pay on invoice", () => {
  const orders = assertValid(F(9)).filter((o) => o.is_fraud === 0);
  const accountsOf = (key: (o: FraudStreamRow) => string | undefined) => {
    const map = new Map<string, Set<string>>();
    for (const o of orders) {
      const k = key(o);
      if (k) map.set(k, (map.get(k) ?? new Set()).add(o.customer_id));
    }
    return Math.max(...[...map.values()].map((s) => s.size));
  };
  assert.ok(accountsOf((o) => o.ip_address) >= 3);
  assert.ok(accountsOf((o) => o.card_bin && `${o.card_bin}:${o.card_last4}`) >= 3);
  assert.ok(accountsOf((o) => o.device_id) >= 2);
  assert.ok(orders.some((o) => o.payment_method === "invoice" && o.card_bin === undefined));
  assert.ok(orders.some((o) => o.billing_country !== o.shipping_country));
});

Deno.test("G: honest customers share carrier addresses by the dozen; many pay without a card", () => {
  const orders = assertValid(G(9)).filter((o) => o.is_fraud === 0);
  const perIp = new Map<string, Set<string>>();
  for (const o of orders) {
    perIp.set(o.ip_address!, (perIp.get(o.ip_address!) ?? new Set()).add(o.customer_id));
  }
  assert.ok(Math.max(...[...perIp.values()].map((s) => s.size)) >= 20);
  assert.ok(orders.filter((o) => o.card_bin === undefined).length > orders.length / 2);
  assert.ok(orders.some((o) => o.email === undefined));
});

Deno.test("generatorsByLetter(): the prior's set by default, letters in order, an unknown letter refused", () => {
  assert.deepEqual(generatorsByLetter(undefined), Object.keys(FRAUD_GENERATORS));
  assert.deepEqual(generatorsByLetter("g,a"), ["A rules stream", "G mobile marketplace"]);
  assert.equal(generatorsByLetter("A,B,C,D,F,G").length, 6);
  assert.throws(() => generatorsByLetter("A,E"), /no generator "E"/);
  assert.deepEqual(Object.keys(ALL_GENERATORS), [
    ...Object.keys(FRAUD_GENERATORS),
    ...Object.keys(CHECK_GENERATORS),
  ]);
});
