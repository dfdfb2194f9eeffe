import postgres from "postgres";
import { guardPostgresSocketRace } from "./postgres_guard.ts";
import { beginOnReservedConnection } from "./reserved_begin.ts";

/**
 * The postgres.js instance type used everywhere. int8 and numeric columns arrive as JS numbers:
 * every bigint we store (ids, cents, counts) stays far below 2^53, and converting once here keeps
 * string-to-number conversions out of every query function.
 */
export type Sql = postgres.Sql<Record<string, unknown>>;
export type TransactionSql = postgres.TransactionSql<Record<string, unknown>>;

const numberTypes = {
  bigint: {
    to: 20,
    from: [20],
    serialize: (value: number | bigint | string) => String(value),
    parse: (value: string) => Number(value),
  },
  numeric: {
    to: 1700,
    from: [1700],
    serialize: (value: number | string) => String(value),
    parse: (value: string) => Number(value),
  },
};

export interface ConnectOptions {
  /** Pool size; the embedded database takes exactly one connection. */
  max: number;
  /** Seconds an unused connection may stay open; 0 keeps it forever. */
  idleTimeout?: number;
  onnotice?: (notice: postgres.Notice) => void;
  /**
   * Plan each prepared statement once per connection (`plan_cache_mode = force_generic_plan`): for a
   * pool that runs the same few statements over and over (`connectSalePool`).
   */
  genericPlans?: boolean;
}

/** Opens a postgres.js pool with our type conversions. */
export function connect(url: string, options: ConnectOptions): Sql {
  guardPostgresSocketRace();
  const sql = postgres(url, {
    max: options.max,
    idle_timeout: options.idleTimeout ?? 30,
    connect_timeout: 10,
    types: numberTypes,
    onnotice: options.onnotice ?? (() => {}),
    connection: {
      application_name: "techmart",
      ...(options.genericPlans ? { plan_cache_mode: "force_generic_plan" } : {}),
    },
  }) as unknown as Sql;
  beginOnReservedConnection(sql);
  return sql;
}

/**
 * The sale path's own pool (PostgreSQL only; the embedded database has one connection, which the sale
 * path shares). Its connections use generic plans: with the default plan cache mode PostgreSQL planned
 * a sale's read (catalog, customer, fraud history) afresh on every execution, ~3 ms of its ~4 ms at
 * 64 connections, and the plan is the same for every sale (index probes by customer and product ids).
 * Kept apart so the analytics queries, whose best plan depends on their date ranges, keep custom plans.
 */
export async function connectSalePool(url: string): Promise<Sql> {
  const sql = connect(url, { max: 8, genericPlans: true });
  // postgres.js learns the array types of its custom types on its first connection: a query built
  // before that sends a number array as "1,2" ("malformed array literal"), so one plain query goes first
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  return sql;
}
