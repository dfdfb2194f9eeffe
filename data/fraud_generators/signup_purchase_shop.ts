/**
 * Generator E, in the shape of the public e-commerce fraud dataset ("Fraud_Data.csv": user_id, signup_time,
 * purchase_time, purchase_value, device_id, source, browser, sex, age, ip_address, class), one purchase per
 * user. Written from the dataset's description and these assumptions, not from the model's features:
 *
 * - bot rings open accounts seconds apart on one device (mostly one address too) and buy a second or
 *   three after signing up; rings start at any time of the period;
 * - manual fraudsters buy like customers do, some sooner after signing up, and some come back on a device
 *   an earlier fraudulent account used;
 * - customers share devices in households and addresses behind carrier NAT, and some buy within minutes.
 *
 * `deno run data/fraud_generators/signup_purchase_shop.ts [--seed N] [--users N] [--ring-days N] > file.csv`
 * writes the CSV.
 */
import { parseArgs } from "node:util";
import { createRandom } from "../random.ts";

/** One row in the dataset's columns. */
export interface SignupPurchaseRecord {
  user_id: string;
  signup_time: string;
  purchase_time: string;
  purchase_value: string;
  device_id: string;
  source: string;
  browser: string;
  sex: string;
  age: string;
  ip_address: string;
  class: string;
}

const COLUMNS: readonly (keyof SignupPurchaseRecord)[] = [
  "user_id",
  "signup_time",
  "purchase_time",
  "purchase_value",
  "device_id",
  "source",
  "browser",
  "sex",
  "age",
  "ip_address",
  "class",
];

const SECOND = 1000;
const DAY = 86_400_000;

/** Options: the share of fraud and of it the share that comes from bot rings. */
export interface SignupPurchaseOptions {
  seed?: number;
  users?: number;
  fraudRate?: number;
  ringShare?: number;
  /**
   * Rings start within the first this many days of the signup period (default: any time of it). A small
   * value puts the bot rings early, as a dataset collected after one attack wave would be; a time split then
   * leaves them out of the measured part.
   */
  ringDays?: number;
}

/** Generates the rows, in no particular order (as the dataset is). */
export function generateSignupPurchaseShop(options: SignupPurchaseOptions = {}): SignupPurchaseRecord[] {
  const r = createRandom(options.seed ?? 31);
  const users = options.users ?? 40_000;
  const fraudRate = options.fraudRate ?? 0.09;
  const ringShare = options.ringShare ?? 0.5;
  const start = Date.parse("2015-01-01T00:00:00Z");
  const signupSpan = 230 * DAY;
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const newDevice = () => Array.from({ length: 13 }, () => letters[r.int(0, 25)]).join("");
  const newIp = () => (r.between(16_777_216, 4_278_190_080)).toFixed(5);
  const carrierIps = Array.from({ length: 400 }, newIp);
  const ids = new Set<number>();
  const newId = () => {
    let id: number;
    do id = r.int(1, 400_000); while (ids.has(id));
    ids.add(id);
    return String(id);
  };
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const value = (shift: number) =>
    String(Math.min(154, Math.max(9, Math.round(Math.exp(3.45 + shift + 0.5 * r.normal())))));
  const person = () => ({
    source: r.weighted(["SEO", "Ads", "Direct"], [40, 40, 20]),
    browser: r.weighted(["Chrome", "IE", "Safari", "FireFox", "Opera"], [41, 24, 16, 16, 3]),
    sex: r.weighted(["M", "F"], [58, 42]),
    age: String(Math.max(18, Math.round(33 + 8.5 * r.normal()))),
  });
  const rows: SignupPurchaseRecord[] = [];
  const legitDevices: string[] = [];
  const fraudDevices: string[] = [];
  const add = (signup: number, purchase: number, device: string, ip: string, isFraud: boolean) => {
    rows.push({
      user_id: newId(),
      signup_time: stamp(signup),
      purchase_time: stamp(purchase),
      purchase_value: value(isFraud ? 0.05 : 0),
      device_id: device,
      ip_address: ip,
      ...person(),
      class: isFraud ? "1" : "0",
    });
  };

  const fraudTarget = Math.round(users * fraudRate);
  let fraud = 0;
  while (fraud < fraudTarget * ringShare) {
    const size = Math.min(20, 1 + Math.floor(-Math.log(1 - r.next()) * 5));
    const device = newDevice();
    const rotateIp = r.next() < 0.2;
    let ip = newIp();
    let signup = start + r.between(0, Math.min(signupSpan, (options.ringDays ?? Infinity) * DAY));
    for (let i = 0; i < size && fraud < fraudTarget * ringShare; i++) {
      if (rotateIp) ip = newIp();
      add(signup, signup + r.int(1, 3) * SECOND, device, ip, true);
      fraud++;
      signup += r.int(1, 30) * SECOND;
    }
  }
  while (fraud < fraudTarget) {
    const signup = start + r.between(0, signupSpan);
    const delay = (r.next() < 0.6)
      ? r.between(0, 120 * DAY)
      : Math.min(120 * DAY, -Math.log(1 - r.next()) * DAY);
    const device = fraudDevices.length > 0 && (r.next() < 0.25) ? r.pick(fraudDevices) : newDevice();
    fraudDevices.push(device);
    add(
      signup,
      signup + Math.max(SECOND, delay),
      device,
      (r.next() < 0.15) ? r.pick(carrierIps) : newIp(),
      true,
    );
    fraud++;
  }
  for (let i = rows.length; i < users; i++) {
    const signup = start + r.between(0, signupSpan);
    const delay = (r.next() < 0.7)
      ? r.between(0, 120 * DAY)
      : Math.min(120 * DAY, -Math.log(1 - r.next()) * 2 * DAY);
    const device = legitDevices.length > 0 && (r.next() < 0.06) ? r.pick(legitDevices) : newDevice();
    legitDevices.push(device);
    add(
      signup,
      signup + Math.max(60 * SECOND, delay),
      device,
      (r.next() < 0.12) ? r.pick(carrierIps) : newIp(),
      false,
    );
  }
  // The dataset is not sorted by time; the bench replays it in time order.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** The rows as CSV with the dataset's header. */
export function signupPurchaseToCsv(rows: readonly SignupPurchaseRecord[]): string {
  return [COLUMNS.join(","), ...rows.map((row) => COLUMNS.map((c) => row[c]).join(","))].join("\n") + "\n";
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { seed: { type: "string" }, users: { type: "string" }, "ring-days": { type: "string" } },
  });
  const rows = generateSignupPurchaseShop({
    seed: values.seed ? Number(values.seed) : undefined,
    users: values.users ? Number(values.users) : undefined,
    ringDays: values["ring-days"] ? Number(values["ring-days"]) : undefined,
  });
  await Deno.stdout.write(new TextEncoder().encode(signupPurchaseToCsv(rows)));
}
