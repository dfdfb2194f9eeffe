/**
 * Generator B (independent of `data/fraud_stream.ts`): a shop where every account buys once, as in
 * marketplaces that sell one-off items. Written from these assumptions about fraud:
 *
 * - bots sign up many accounts from one device and one address and buy within seconds of signing up;
 * - other fraudsters look like anyone else, buying days after signing up, but on devices and addresses
 *   they have used before for other accounts (sometimes);
 * - legitimate households share a device or an address now and then, and some customers buy minutes after
 *   signing up.
 *
 * Identity is an IPv4 written as a number, as some exported datasets do.
 */
import { createRandom } from "../random.ts";
import type { FraudStreamRow } from "../fraud_stream.ts";

/** Options: `burstShare` is the share of fraud that comes in bot bursts. */
export interface SignupBurstOptions {
  seed?: number;
  accounts?: number;
  fraudRate?: number;
  burstShare?: number;
  /** Share of bursts packed into the first 15% of the period (bot waves at launch). */
  earlyBursts?: number;
  start?: string;
  days?: number;
}

const SECOND = 1000;
const DAY = 86_400_000;

export function generateSignupBursts(options: SignupBurstOptions = {}): FraudStreamRow[] {
  const r = createRandom(options.seed ?? 7);
  const accounts = options.accounts ?? 40_000;
  const fraudRate = options.fraudRate ?? 0.09;
  const burstShare = options.burstShare ?? 0.55;
  const start = Date.parse(options.start ?? "2025-01-01T00:00:00Z");
  const days = options.days ?? 230;
  const rows: FraudStreamRow[] = [];
  let next = 0;
  const device = () => Array.from({ length: 13 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r.int(0, 25)]).join("");
  const ip = () => String(r.int(16_777_216, 4_294_967_295) + r.int(0, 99) / 100);
  const reusedDevices: { device: string; ip: string }[] = [];
  const row = (
    signup: number,
    purchase: number,
    cents: number,
    identity: { device: string; ip: string },
    fraud: boolean,
    scenario: string,
  ) => {
    const id = ++next;
    rows.push({
      transaction_id: `B${id}`,
      timestamp: new Date(purchase).toISOString(),
      customer_id: `b${id}`,
      customer_created_at: new Date(signup).toISOString(),
      product_id: "item",
      category: "general",
      unit_price_cents: cents,
      quantity: 1,
      payment_method: "card",
      status: "completed",
      is_fraud: fraud ? 1 : 0,
      device_id: identity.device,
      ip_address: identity.ip,
      scenario,
    });
  };
  const price = () => Math.round(Math.exp(r.between(Math.log(900), Math.log(15_000))));
  const household: { device: string; ip: string }[] = [];
  let fraudLeft = Math.round(accounts * fraudRate);
  let burstLeft = Math.round(fraudLeft * burstShare);
  let legitLeft = accounts - fraudLeft;
  while (burstLeft > 0) {
    const size = Math.min(burstLeft, r.int(2, 20));
    const shared = { device: device(), ip: ip() };
    const cents = price();
    let t = start + r.between(0, days * DAY) * (r.next() < (options.earlyBursts ?? 0.6) ? 0.15 : 1);
    for (let i = 0; i < size; i++) {
      t += r.between(0, 6 * 3_600_000);
      row(t, t + SECOND * r.int(1, 2), cents, shared, true, "fraud_bot_burst");
    }
    reusedDevices.push(shared);
    burstLeft -= size;
    fraudLeft -= size;
  }
  while (fraudLeft-- > 0) {
    const signup = start + r.between(0, days * DAY);
    const identity = r.next() < 0.15 && reusedDevices.length > 0
      ? r.pick(reusedDevices)
      : { device: device(), ip: ip() };
    row(signup, signup + r.between(60 * SECOND, 60 * DAY), price(), identity, true, "fraud_quiet");
  }
  while (legitLeft-- > 0) {
    const signup = start + r.between(0, days * DAY);
    const quick = r.next() < 0.01;
    let identity = { device: device(), ip: ip() };
    if (r.next() < 0.05 && household.length > 0) identity = r.pick(household);
    else if (r.next() < 0.05) household.push(identity);
    const wait = quick ? r.between(30 * SECOND, 3_600_000) : r.between(3_600_000, 120 * DAY);
    row(signup, signup + wait, price(), identity, false, quick ? "legit_quick" : "legit");
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
