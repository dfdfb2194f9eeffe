import assert from "node:assert/strict";
import fc from "fast-check";
import { TRPCError } from "@trpc/server";
import { openTestServices } from "../../server/testing/test_services.ts";
import { insertCustomers, insertProduct } from "../../server/transactions/transactions_fixtures.ts";

type Operation =
  | { kind: "buy"; customer: number; lines: { product: number; quantity: number }[]; key: number | null }
  | { kind: "refund" | "cancel"; target: number };

const products = 3;
const initialStock = 30;

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("buy" as const),
      customer: fc.nat(3),
      lines: fc.uniqueArray(
        fc.record({ product: fc.nat(products - 1), quantity: fc.integer({ min: 1, max: 4 }) }),
        { minLength: 1, maxLength: products, selector: (line) => line.product },
      ),
      // A few keys shared by several operations: retries, some of them with another body (a conflict)
      key: fc.option(fc.nat(5), { freq: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom("refund" as const, "cancel" as const), target: fc.nat(40) }),
  },
);

Deno.test("concurrent purchases, refunds, cancellations and retries keep stock = initial - net sales, with no double write", async () => {
  const testServices = await openTestServices();
  const { sql } = testServices.services.db;
  const api = testServices.api("manager");
  let round = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 20, maxLength: 60 }), async (operations) => {
        round++;
        const productIds: number[] = [];
        for (let i = 0; i < products; i++) {
          productIds.push(
            await insertProduct(sql, { priceCents: 1_000 + i, stock: initialStock, reorderPoint: 0 }),
          );
        }
        const customerIds = await insertCustomers(sql, 4);
        const created: number[] = [];
        const keyResults = new Map<string, Set<number>>();
        const failures: string[] = [];

        async function run(op: Operation): Promise<void> {
          try {
            if (op.kind === "buy") {
              const key = op.key === null ? undefined : `round-${round}-key-${op.key}`;
              const result = await api.transactions.create({
                customerId: customerIds[op.customer],
                items: op.lines.map((line) => ({
                  productId: productIds[line.product],
                  quantity: line.quantity,
                })),
                paymentMethod: "card",
                idempotencyKey: key,
              });
              if (!result.replayed) created.push(result.id);
              if (key) keyResults.set(key, (keyResults.get(key) ?? new Set()).add(result.id));
            } else {
              // Refund or cancel one of the sales made so far (or a missing one)
              const id = created.length ? created[op.target % created.length] : 1_000_000_000 + op.target;
              await api.transactions[op.kind]({ id, reason: "property test" });
            }
          } catch (error) {
            // Out of stock, already refunded, a key reused with another body: refused cleanly, never a 500
            if (error instanceof TRPCError && ["CONFLICT", "NOT_FOUND", "BAD_REQUEST"].includes(error.code)) {
              return;
            }
            failures.push(`${op.kind}: ${error}`);
          }
        }

        // Everything in flight at once: the database, not the order of calls, must keep it right
        await Promise.all(operations.map(run));
        assert.deepEqual(failures, []);

        for (const [key, ids] of keyResults) {
          assert.equal(ids.size, 1, `retries of ${key} answered one transaction`);
        }
        const [keys] = await sql<[{ duplicates: number }]>`
          select count(*)::int as duplicates from (
            select idempotency_key from transactions where idempotency_key like ${`round-${round}-%`}
            group by idempotency_key having count(*) > 1) d`;
        assert.equal(keys.duplicates, 0, "one transaction per idempotency key");

        const rows = await sql<{ id: number; stock: number; sold: number }[]>`
          select p.id, p.stock_quantity as stock,
            coalesce((select sum(i.quantity) from transaction_items i join transactions t on t.id = i.transaction_id
              where i.product_id = p.id and t.status in ('completed', 'pending')), 0)::int as sold
          from products p where p.id = any(${sql.array(productIds)}::bigint[]) order by p.id`;
        for (const row of rows) {
          assert.ok(row.stock >= 0, `product ${row.id} never oversold`);
          assert.equal(row.stock, initialStock - row.sold, `product ${row.id}: stock = initial - net sales`);
        }
        const [orphans] = await sql<[{ n: number }]>`
          select count(*)::int as n from transactions t
          where t.customer_id = any(${sql.array(customerIds)}::bigint[])
            and not exists (select 1 from transaction_items i where i.transaction_id = t.id)`;
        assert.equal(orphans.n, 0, "no transaction without its lines");
      }),
      { numRuns: Number(Deno.env.get("PROPERTY_RUNS") ?? 4), seed: 20_261_125 },
    );
  } finally {
    await testServices.close();
  }
});
