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
    connection: { application_name: "techmart" },
  }) as unknown as Sql;
  beginOnReservedConnection(sql);
  return sql;
}
