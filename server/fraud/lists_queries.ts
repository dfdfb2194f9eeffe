import { TRPCError } from "@trpc/server";
import { recordAudit } from "../auth/audit.ts";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { RulesActor } from "./rules_queries.ts";

/** The two customer lists: `block` scores with the block-list rule, `allow` is never blocked automatically. */
export type CustomerListName = "allow" | "block";

/**
 * A customer named by id or by the code staff see (`CUS-00867`); typed digits (`17850`) may be either, since
 * shops import their own codes and many are numbers.
 */
export type CustomerRef = { id: number } | { code: string } | { idOrCode: string };

/** One customer on a list. */
export interface ListedCustomer {
  customerId: number;
  customerCode: string;
  customerName: string;
  list: CustomerListName;
  reason: string;
  addedBy: string;
  addedAt: Date;
}

interface ListedRow {
  customer_id: number;
  customer_code: string;
  customer_name: string;
  list: CustomerListName;
  reason: string;
  added_by: string;
  added_at: Date;
}

function toListed(row: ListedRow): ListedCustomer {
  return {
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    list: row.list,
    reason: row.reason,
    addedBy: row.added_by,
    addedAt: row.added_at,
  };
}

/** Customers on the lists (one list or both), most recently added first. */
export async function listListedCustomers(
  sql: Sql,
  options: { list?: CustomerListName; limit: number },
): Promise<ListedCustomer[]> {
  const rows = await sql<ListedRow[]>`
    select l.customer_id, c.code as customer_code, c.name as customer_name, l.list, l.reason, l.added_by,
           l.added_at
    from fraud_customer_lists l
    join customers c on c.id = l.customer_id
    ${options.list ? sql`where l.list = ${options.list}` : sql``}
    order by l.added_at desc, l.customer_id desc
    limit ${options.limit}`;
  return rows.map(toListed);
}

/**
 * The customer `ref` names, by id or code; NOT_FOUND naming the id or code when there is none. Typed digits
 * are whichever customer has them as code or id; CONFLICT when those are two customers (blocking the wrong
 * one would be worse than asking).
 */
async function findCustomer(
  sql: Sql | TransactionSql,
  ref: CustomerRef,
): Promise<{ id: number; code: string }> {
  const customers = "id" in ref
    ? await sql<{ id: number; code: string }[]>`select id, code from customers where id = ${ref.id}`
    : "code" in ref
    ? await sql<{ id: number; code: string }[]>`select id, code from customers where code = ${ref.code}`
    : await sql<{ id: number; code: string }[]>`
      select id, code from customers
      where code = ${ref.idOrCode} or id = ${idOfDigits(ref.idOrCode)}
      order by (code = ${ref.idOrCode}) desc`;
  if (customers.length === 0) {
    const message = "id" in ref
      ? `No customer with id ${ref.id}`
      : "code" in ref
      ? `No customer with code "${ref.code}"`
      : `No customer with code or id ${ref.idOrCode}`;
    throw new TRPCError({ code: "NOT_FOUND", message });
  }
  if (customers.length > 1) {
    const [byCode, byId] = customers;
    throw new TRPCError({
      code: "CONFLICT",
      message:
        `${(ref as { idOrCode: string }).idOrCode} is the code of customer ${byCode.code} and the id of ` +
        `customer ${byId.code}: give the code of the one you mean`,
    });
  }
  const [customer] = customers;
  return { id: Number(customer.id), code: customer.code };
}

/** Digits as an id, or -1 (no customer) when they are too many for one. */
function idOfDigits(digits: string): number {
  const id = Number(digits);
  return Number.isSafeInteger(id) ? id : -1;
}

/**
 * Puts a customer (by id or code) on the allow or block list (moving them off the other one), audit-logged
 * with the list they were on before. NOT_FOUND for an unknown customer.
 */
export async function putCustomerOnList(
  sql: Sql,
  ref: CustomerRef,
  options: { list: CustomerListName; reason: string; actor: RulesActor },
): Promise<ListedCustomer> {
  const { actor } = options;
  return await sql.begin(async (tx) => {
    const { id: customerId } = await findCustomer(tx, ref);
    const [before] = await tx<[{ list: CustomerListName }?]>`
      select list from fraud_customer_lists where customer_id = ${customerId} for update`;
    await tx`
      insert into fraud_customer_lists (customer_id, list, reason, added_by)
      values (${customerId}, ${options.list}, ${options.reason}, ${actor.caller.username})
      on conflict (customer_id) do update
      set list = excluded.list, reason = excluded.reason, added_by = excluded.added_by, added_at = now()`;
    await recordAudit(tx, {
      caller: actor.caller,
      action: `fraud_list.${options.list}`,
      entityType: "customer",
      entityId: customerId,
      details: { from: before?.list ?? null, to: options.list, reason: options.reason },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    const [row] = await tx<[ListedRow]>`
      select l.customer_id, c.code as customer_code, c.name as customer_name, l.list, l.reason, l.added_by,
             l.added_at
      from fraud_customer_lists l join customers c on c.id = l.customer_id
      where l.customer_id = ${customerId}`;
    return toListed(row);
  });
}

/**
 * Takes a customer (by id or code) off whichever list they are on, audit-logged; NOT_FOUND when there is no
 * such customer or they are on neither list.
 */
export async function removeCustomerFromLists(
  sql: Sql,
  ref: CustomerRef,
  options: { actor: RulesActor },
): Promise<{ customerId: number; removedFrom: CustomerListName }> {
  const { actor } = options;
  return await sql.begin(async (tx) => {
    const { id: customerId, code } = await findCustomer(tx, ref);
    const [removed] = await tx<[{ list: CustomerListName }?]>`
      delete from fraud_customer_lists where customer_id = ${customerId} returning list`;
    if (!removed) {
      throw new TRPCError({ code: "NOT_FOUND", message: `Customer ${code} is on neither list` });
    }
    await recordAudit(tx, {
      caller: actor.caller,
      action: "fraud_list.removed",
      entityType: "customer",
      entityId: customerId,
      details: { from: removed.list },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return { customerId, removedFrom: removed.list };
  });
}

/** Customer ids on each list, for replays (backtests and rescoring). */
export async function loadCustomerLists(
  sql: Sql,
): Promise<{ allow: Set<string>; block: Set<string> }> {
  const rows = await sql<{ customer_id: number; list: CustomerListName }[]>`
    select customer_id, list from fraud_customer_lists`;
  const lists = { allow: new Set<string>(), block: new Set<string>() };
  for (const row of rows) lists[row.list].add(String(row.customer_id));
  return lists;
}
