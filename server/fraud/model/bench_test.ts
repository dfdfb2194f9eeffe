import assert from "node:assert/strict";
import { normaliseRecord, run } from "../../../bench/fraud.ts";
import {
  generateSignupPurchaseShop,
  signupPurchaseToCsv,
} from "../../../data/fraud_generators/signup_purchase_shop.ts";
import { parseLabeledRow } from "../evaluate.ts";
import { ipKey } from "./identity.ts";
import { generateIdentityShop } from "../../../data/fraud_generators/identity_shop.ts";
import { fraudStreamToCsv } from "../../../data/fraud_stream.ts";

async function lastLine(args: string[]): Promise<string> {
  return (await outputLines(args)).at(-1)!;
}

/** Runs `use` with a temporary CSV of generator C's small stream (800 customers, seed 5). */
async function withIdentityShopFile(use: (path: string) => Promise<void>): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(
      path,
      fraudStreamToCsv(generateIdentityShop({ customers: 800, fraudScale: 0.4, seed: 5 })),
    );
    await use(path);
  } finally {
    await Deno.remove(path);
  }
}

async function outputLines(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    await run(args);
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("bench fraud trains on the first part by time and measures the rest, on a foreign CSV", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    // Identity columns, an IPv4 written as a number and blank payment methods, as a converted dataset has.
    const csv = fraudStreamToCsv(generateIdentityShop({ customers: 800, fraudScale: 0.4, seed: 5 }))
      .replaceAll(",card,", ",,").replace(/,(\d+\.\d+\.\d+\.\d+),/, ",732758368.79,");
    await Deno.writeTextFile(path, csv);
    const line = await lastLine([path, "--train-fraction", "0.7"]);
    const match = /^precision=([\d.]+) recall=([\d.]+) f1=([\d.]+) pr_auc=([\d.]+)$/.exec(line);
    assert.ok(match, line);
    // About 9% fraud in the measured part: a model that learned nothing would rank near 0.09.
    assert.ok(Number(match[4]) > 0.8, line);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("bench fraud reads header names whatever their case or stray spaces, and a gzipped file", async () => {
  const csv = fraudStreamToCsv(generateIdentityShop({ customers: 800, fraudScale: 0.4, seed: 5 }));
  const [header, ...body] = csv.split("\n");
  const shouted = [header.split(",").map((name) => ` ${name.toUpperCase()}`).join(","), ...body].join("\n");
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  const plain = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, shouted);
    await Deno.writeTextFile(plain, csv);
    const line = await lastLine([path]);
    assert.match(line, /^precision=[\d.]+ recall=[\d.]+ f1=[\d.]+ pr_auc=[\d.]+$/);
    assert.equal(line, await lastLine([plain]));
    // and kept gzipped
    const gzipped = `${plain}.gz`;
    const compressed = new Response(new Blob([csv]).stream().pipeThrough(new CompressionStream("gzip")));
    await Deno.writeFile(gzipped, new Uint8Array(await compressed.arrayBuffer()));
    try {
      assert.equal(await lastLine([gzipped]), line);
    } finally {
      await Deno.remove(gzipped);
    }
  } finally {
    await Deno.remove(path);
    await Deno.remove(plain);
  }
});

Deno.test("bench fraud refuses a train fraction outside (0, 1)", async () => {
  await assert.rejects(() => run(["--train-fraction", "1.5"]), /between 0 and 1/);
});

Deno.test("bench fraud reads the public signup/purchase dataset's columns (Fraud_Data.csv shape)", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, signupPurchaseToCsv(generateSignupPurchaseShop({ users: 4000, seed: 3 })));
    const line = await lastLine([path, "--train-fraction", "0.5"]);
    const match = /^precision=([\d.]+) recall=([\d.]+) f1=([\d.]+) pr_auc=([\d.]+)$/.exec(line);
    assert.ok(match, line);
    // Bot rings buy within seconds of signing up: a model that reads account age in seconds finds them.
    assert.ok(Number(match[1]) > 0.8 && Number(match[2]) > 0.2, line);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("bench fraud --train-fraction: a device of the training part's confirmed fraud sends later sales to review", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    // Bot rings reuse their devices over weeks, across the split
    await Deno.writeTextFile(path, signupPurchaseToCsv(generateSignupPurchaseShop({ users: 4000, seed: 3 })));
    const metrics = (line: string) => {
      const match = /^precision=([\d.]+) recall=([\d.]+) f1=([\d.]+) pr_auc=([\d.]+)$/.exec(line);
      assert.ok(match, line);
      return { precision: Number(match[1]), recall: Number(match[2]) };
    };
    const on = await outputLines([path, "--train-fraction", "0.5"]);
    const off = await outputLines([path, "--train-fraction", "0.5", "--confirmed-devices=off"]);
    const said = on.find((l) => l.startsWith("Devices of confirmed fraud"));
    const record = /: (\d+); on the training part the rule fired on (\d+) sales, (\d+) of them fraud: counts$/
      .exec(
        said ?? "",
      );
    assert.ok(record && Number(record[1]) > 0 && Number(record[2]) >= 9, said);
    assert.match(
      off.find((l) => l.startsWith("Devices of confirmed fraud")) ?? "",
      /off \(--confirmed-devices=off\)$/,
    );
    const withRule = metrics(on.at(-1)!), without = metrics(off.at(-1)!);
    assert.ok(withRule.recall > without.recall + 0.05, `${on.at(-1)} against ${off.at(-1)}`);
    assert.ok(withRule.precision >= without.precision - 0.02, `${on.at(-1)} against ${off.at(-1)}`);
    await assert.rejects(
      () => run([path, "--train-fraction", "0.5", "--confirmed-devices=maybe"]),
      /"on" or "off"/,
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("a signup/purchase row becomes a documented row: UTC times, cents, the numeric IP kept", () => {
  const row = normaliseRecord({
    user_id: "22058",
    signup_time: "2015-02-24 22:55:49",
    purchase_time: "2015-04-18 02:47:11",
    purchase_value: "34",
    device_id: "QVPSPJUOCKZAR",
    source: "SEO",
    browser: "Chrome",
    sex: "M",
    age: "39",
    ip_address: "732758368.79972",
    class: "1",
  });
  const parsed = parseLabeledRow(row);
  assert.equal(parsed.timestamp.toISOString(), "2015-04-18T02:47:11.000Z");
  assert.equal(parsed.customer_created_at.toISOString(), "2015-02-24T22:55:49.000Z");
  assert.equal(parsed.unit_price_cents, 3400);
  assert.equal(parsed.is_fraud, true);
  assert.equal(parsed.device_id, "QVPSPJUOCKZAR");
  assert.equal(ipKey(parsed.ip_address), "43.173.1.96");
});

Deno.test("bench fraud --operating=auto:K: the ceiling is K times the fraud rate estimated from the prior's scores", async () => {
  await withIdentityShopFile(async (path) => {
    const lines = await outputLines([path, "--operating=auto:1.5"]);
    const point = lines.find((l) => l.startsWith("Operating point on the last day"));
    const match = /ceiling ([\d.]+)%, automatic: 1.5 x the estimated fraud rate ([\d.]+)%/.exec(point ?? "");
    assert.ok(match, lines.join("\n"));
    const ceiling = Number(match[1]), estimate = Number(match[2]);
    assert.ok(estimate > 0, point);
    assert.ok(Math.abs(ceiling - Math.min(25, Math.max(0.5, 1.5 * estimate))) <= 0.1, point);
    // the last line keeps its format
    assert.match(lines.at(-1)!, /^precision=[\d.]+ recall=[\d.]+ f1=[\d.]+ pr_auc=[\d.]+$/);
  });
});

Deno.test("bench fraud --novelty=fisher: the prior is read with the shop's own novelty, the last line unchanged", async () => {
  await withIdentityShopFile(async (path) => {
    const plain = await outputLines([path]);
    const lines = await outputLines([path, "--novelty=fisher"]);
    const used = lines.find((l) => l.startsWith("Novelty (session 9"));
    const match = /in force on (\d+) of (\d+) sales/.exec(used ?? "");
    assert.ok(match && Number(match[1]) > 0 && Number(match[1]) < Number(match[2]), lines.join("\n"));
    assert.match(lines.at(-1)!, /^precision=[\d.]+ recall=[\d.]+ f1=[\d.]+ pr_auc=[\d.]+$/);
    assert.notEqual(lines.at(-1), plain.at(-1));
    assert.equal(plain.find((l) => l.startsWith("Novelty (session 9")), undefined);
    await assert.rejects(() => run([path, "--novelty=median"]), /not one of/);
    // session 10: one tail per group of related features, and the bench says so
    const grouped = await outputLines([path, "--novelty=fisher-grouped"]);
    assert.match(grouped.find((l) => l.startsWith("Novelty (session 9")) ?? "", /one tail per group/);
    assert.doesNotMatch(used!, /one tail per group/);
    assert.match(grouped.at(-1)!, /^precision=[\d.]+ recall=[\d.]+ f1=[\d.]+ pr_auc=[\d.]+$/);
  });
});

Deno.test("a row from another writer: pandas' True/False labels, Unix times, float cents and quantities", () => {
  const base = {
    transaction_id: "1",
    customer_id: "c1",
    product_id: "p1",
    category: "Phones",
    payment_method: "card",
    status: "completed",
  };
  const pandas = parseLabeledRow(normaliseRecord({
    ...base,
    timestamp: "2024-01-01 10:00:00",
    customer_created_at: "2023-12-01 00:00:00+00:00",
    unit_price_cents: "1999.0",
    quantity: "2.0",
    is_fraud: "True",
  }));
  assert.equal(pandas.is_fraud, true);
  assert.equal(pandas.timestamp.toISOString(), "2024-01-01T10:00:00.000Z");
  assert.equal(pandas.customer_created_at.toISOString(), "2023-12-01T00:00:00.000Z");
  assert.equal(pandas.unit_price_cents, 1999);
  assert.equal(pandas.quantity, 2);
  for (
    const [word, fraud] of [["False", false], ["no", false], ["YES", true], ["legit", false], [
      "1",
      true,
    ]] as const
  ) {
    const row = { ...base, timestamp: "2024-01-01T10:00:00Z", customer_created_at: "2023-12-01T00:00:00Z" };
    const parsed = parseLabeledRow(
      normaliseRecord({ ...row, unit_price_cents: "100", quantity: "1", is_fraud: word }),
    );
    assert.equal(parsed.is_fraud, fraud, word);
  }
  for (
    const [word, status] of [
      ["Declined", "declined"],
      ["DENIED", "declined"],
      ["rejected", "declined"],
      [
        "failed",
        "declined",
      ],
      ["approved", "completed"],
      ["success", "completed"],
    ] as const
  ) {
    const row = { ...base, timestamp: "2024-01-01T10:00:00Z", customer_created_at: "2023-12-01T00:00:00Z" };
    const parsed = parseLabeledRow(
      normaliseRecord({ ...row, unit_price_cents: "100", quantity: "1", is_fraud: "0", status: word }),
    );
    assert.equal(parsed.status, status, word);
  }
  // Unix seconds (10 digits, fractions allowed) and milliseconds (13 digits)
  const unix = parseLabeledRow(normaliseRecord({
    ...base,
    timestamp: "1704103200.5",
    customer_created_at: "1701388800000",
    unit_price_cents: "100",
    quantity: "1",
    is_fraud: "0",
  }));
  assert.equal(unix.timestamp.toISOString(), "2024-01-01T10:00:00.500Z");
  assert.equal(unix.customer_created_at.toISOString(), "2023-12-01T00:00:00.000Z");
  // a word that is not a label is still refused, naming the column
  assert.throws(
    () =>
      parseLabeledRow(
        normaliseRecord({
          ...base,
          timestamp: "1704103200",
          customer_created_at: "1704103200",
          unit_price_cents: "1",
          quantity: "1",
          is_fraud: "maybe",
        }),
      ),
    /is_fraud/,
  );
});
