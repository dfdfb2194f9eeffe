import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer, insertProduct, rejection, stockOf } from "./transactions_fixtures.ts";

Deno.test("line-level and partial refunds against the real database", async (t) => {
  const services = await openTestServices();
  const sql = services.services.db.sql;
  const manager = services.api("manager");
  const viewer = services.api("viewer");
  try {
    await t.step(
      "a partial refund restocks only the lines that say so and keeps the sale completed",
      async () => {
        const customerId = await insertCustomer(sql);
        const cable = await insertProduct(sql, { priceCents: 1000, stock: 20 });
        const mug = await insertProduct(sql, { priceCents: 500, stock: 10 });
        const sale = await manager.transactions.create({
          customerId,
          items: [{ productId: cable, quantity: 4 }, { productId: mug, quantity: 2 }],
          paymentMethod: "card",
        });
        assert.equal(sale.status, "completed");
        const after = await manager.transactions.refundLines({
          id: sale.id,
          lines: [{ productId: cable, quantity: 2, restock: true }, {
            productId: mug,
            quantity: 1,
            restock: false,
          }],
          reason: "One mug broken in transit",
        });
        assert.equal(after.status, "completed");
        assert.equal(await stockOf(sql, cable), 18); // 20 - 4 + 2 restocked
        assert.equal(await stockOf(sql, mug), 8); // 10 - 2, the broken one not restocked
        assert.equal(after.refunds.length, 1);
        const share = (cents: number) => Math.round((sale.totalCents * cents) / sale.subtotalCents);
        assert.equal(after.refundedCents, share(2500));
        assert.deepEqual(after.refunds[0].lines.map((l) => [l.productId, l.quantity, l.restock]), [
          [cable, 2, true],
          [mug, 1, false],
        ]);
        const [audit] = await sql<[{ details: { refundId: number } }]>`
        select details from audit_log where action = 'transaction.refund_lines' and entity_id = ${
          String(sale.id)
        }`;
        assert.equal(audit.details.refundId, after.refunds[0].id);

        const over = await rejection(
          manager.transactions.refundLines({
            id: sale.id,
            lines: [{ productId: cable, quantity: 3, restock: true }],
          }),
        );
        assert.equal(over.code, "CONFLICT");
        assert.match(over.message, /Only 2 of 4 units/);
        const foreign = await rejection(
          manager.transactions.refundLines({
            id: sale.id,
            lines: [{ productId: 99_999_999, quantity: 1, restock: true }],
          }),
        );
        assert.equal(foreign.code, "BAD_REQUEST");
        const forbidden = await rejection(
          viewer.transactions.refundLines({
            id: sale.id,
            lines: [{ productId: cable, quantity: 1, restock: true }],
          }),
        );
        assert.equal(forbidden.code, "FORBIDDEN");
        assert.equal(await stockOf(sql, cable), 18);

        // the rest: the sale becomes refunded and its refunds add up to its total
        const done = await manager.transactions.refundLines({
          id: sale.id,
          lines: [{ productId: cable, quantity: 2, restock: true }, {
            productId: mug,
            quantity: 1,
            restock: true,
          }],
        });
        assert.equal(done.status, "refunded");
        assert.equal(done.refundedCents, sale.totalCents);
        assert.equal(done.history.at(-1)?.toStatus, "refunded");
        assert.equal(await stockOf(sql, cable), 20);
        assert.equal(await stockOf(sql, mug), 9); // the broken mug stays written off
        assert.equal((await rejection(manager.transactions.refund({ id: sale.id }))).code, "CONFLICT");
      },
    );

    await t.step(
      "a whole refund or cancel after a partial one gives back only the units still sold",
      async () => {
        const customerId = await insertCustomer(sql);
        const productId = await insertProduct(sql, { priceCents: 1000, stock: 10 });
        const sellAndRefund = async (quantity: number, refund: { quantity: number; restock: boolean }) => {
          const sale = await manager.transactions.create({
            customerId,
            productId,
            quantity,
            paymentMethod: "card",
          });
          await manager.transactions.refundLines({ id: sale.id, lines: [{ productId, ...refund }] });
          return sale;
        };
        const sale = await sellAndRefund(5, { quantity: 2, restock: false });
        const cancelled = await manager.transactions.cancel({ id: sale.id });
        assert.equal(cancelled.status, "cancelled");
        assert.equal(await stockOf(sql, productId), 8); // 10 - 5 + 3 not refunded; the 2 written off stay out

        const other = await sellAndRefund(4, { quantity: 1, restock: true });
        const refunded = await manager.transactions.refund({ id: other.id });
        assert.equal(refunded.refundedCents, other.totalCents);
        assert.equal(await stockOf(sql, productId), 8);
      },
    );

    await t.step("many concurrent partial refunds of one line never refund more than was sold", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { priceCents: 700, stock: 50 });
      const sale = await manager.transactions.create({
        customerId,
        productId,
        quantity: 7,
        paymentMethod: "card",
      });
      const results = await Promise.allSettled(
        Array.from(
          { length: 12 },
          (_, i) =>
            manager.transactions.refundLines({
              id: sale.id,
              lines: [{ productId, quantity: 1, restock: i % 2 === 0 }],
            }),
        ),
      );
      const ok = results.filter((r) => r.status === "fulfilled").length;
      assert.equal(ok, 7);
      for (const r of results) {
        if (r.status === "rejected") assert.equal((r.reason as TRPCError).code, "CONFLICT");
      }
      const [{ refunded, restocked }] = await sql<[{ refunded: number; restocked: number }]>`
        select sum(l.quantity)::int as refunded, coalesce(sum(l.quantity) filter (where l.restock), 0)::int as restocked
        from transaction_refund_lines l join transaction_refunds r on r.id = l.refund_id
        where r.transaction_id = ${sale.id}`;
      assert.equal(refunded, 7);
      // stock = initial - net sales + restocked refunds
      assert.equal(await stockOf(sql, productId), 50 - 7 + restocked);
      const detail = await manager.transactions.get({ id: sale.id });
      assert.equal(detail.status, "refunded");
      assert.equal(detail.refundedCents, sale.totalCents);
    });
  } finally {
    await services.close();
  }
});
