/**
 * The traffic simulator: keeps a demo shop moving with realistic sales (shop hours, categories, a
 * little fraud, the odd refund), each sent through the same procedure as `POST /api/v1/transactions`
 * and marked `simulated` in the data. Off unless SIMULATE_TRAFFIC (or `--simulate`) turns it on;
 * refused on a PostgreSQL database holding real sales unless forced.
 * @module
 */
import { TRPCError } from "@trpc/server";
import type { Caller } from "../trpc/roles.ts";
import type { Sql } from "../db/mod.ts";
import { createServerCaller } from "../api/server_caller.ts";
import type { Services } from "../services.ts";
import {
  nextDelayMs,
  planAction,
  salesPerMinute,
  type SimCustomer,
  type SimProduct,
} from "./traffic_plan.ts";

/** Who the simulator's sales are made by (shown in audit and history), never a real account. */
export const simulatorCaller: Caller = {
  userId: 0,
  username: "traffic-simulator",
  role: "manager",
  via: "session",
  simulated: true,
};

/** Why the simulator may not run here, or null when it may. */
export async function simulationRefusal(
  services: Pick<Services, "config" | "db">,
): Promise<string | null> {
  const mode = services.config.SIMULATE_TRAFFIC;
  if (mode === "off" || mode === "force") return mode === "off" ? "SIMULATE_TRAFFIC is off" : null;
  if (services.db.kind === "embedded") return null;
  const [{ real }] = await services.db.sql<[{ real: boolean }]>`
    select exists (select 1 from transactions where not simulated) as real`;
  return real
    ? "DATABASE_URL points at a database with real (non-simulated) sales: the simulator would mix " +
      "invented sales into them. Set SIMULATE_TRAFFIC=force if this database holds only sample data"
    : null;
}

async function loadShop(
  sql: Sql,
): Promise<{ products: SimProduct[]; customerIds: number[]; customers: Map<number, SimCustomer> }> {
  const products = await sql<SimProduct[]>`
    select id::int, category, price_cents::int as "priceCents", stock_quantity as stock
    from products where is_active and stock_quantity > 0`;
  const customers = await sql<{ id: number; email: string | null; country: string | null }[]>`
    select id::int, email, country from customers order by id limit 2000`;
  return {
    products,
    customerIds: customers.map((c) => c.id),
    customers: new Map(customers.map((c) => [c.id, { email: c.email, country: c.country }])),
  };
}

function storeHour(now: Date, timeZone: string): number {
  return Number(
    new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone }).format(now),
  );
}

/** What a bounded run did. */
export interface SimulationTally {
  sales: number;
  suspicious: number;
  refunds: number;
  refused: number;
}

/**
 * Makes one move through the API: a sale, a refund of a recent simulated sale, or nothing. A sale
 * the API refuses (stock taken meanwhile, a blocked customer) is counted, not thrown.
 */
export async function simulateOnce(
  services: Services,
  random: () => number,
  tally: SimulationTally,
): Promise<void> {
  const api = createServerCaller(services, simulatorCaller);
  const action = planAction(random, await loadShop(services.db.sql));
  try {
    if (action.kind === "sale") {
      await api.transactions.create({
        customerId: action.customerId,
        items: action.items,
        paymentMethod: action.paymentMethod,
        channel: action.channel,
        ...action.identity,
      });
      tally.sales += 1;
      if (action.suspicious) tally.suspicious += 1;
    } else if (action.kind === "refund") {
      const [recent] = await services.db.sql<[{ id: number }?]>`
        select id::int from transactions
        where simulated and status = 'completed' and created_at > now() - interval '1 day'
        order by created_at desc limit 1 offset ${Math.floor(random() * 20)}`;
      if (recent) {
        await api.transactions.refund({ id: recent.id, reason: "Changed their mind (simulated)" });
        tally.refunds += 1;
      }
    }
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    tally.refused += 1;
  }
}

/**
 * Runs the simulator until the returned function is called: moves at the shop-hours rate
 * (SIMULATE_PEAK_SALES_PER_MINUTE at the busiest hour, in STORE_TZ). Errors are logged, never fatal.
 */
export function startTrafficSimulator(
  services: Services,
  options: { random?: () => number } = {},
): () => Promise<void> {
  const random = options.random ?? Math.random;
  const tally: SimulationTally = { sales: 0, suspicious: 0, refunds: 0, refused: 0 };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  function schedule() {
    if (stopped) return;
    const perMinute = salesPerMinute(
      storeHour(new Date(), services.config.STORE_TZ),
      services.config.SIMULATE_PEAK_SALES_PER_MINUTE,
    );
    timer = setTimeout(() => {
      running = simulateOnce(services, random, tally)
        .catch((error) => services.log.error("traffic simulation step failed", { error }))
        .finally(schedule);
    }, nextDelayMs(random, perMinute));
  }
  services.log.info("traffic simulator on", {
    peakPerMinute: services.config.SIMULATE_PEAK_SALES_PER_MINUTE,
  });
  schedule();
  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await running;
    services.log.info("traffic simulator stopped", { ...tally });
  };
}
