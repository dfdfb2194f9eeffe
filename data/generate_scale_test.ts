import assert from "node:assert/strict";
import { openTestDatabase } from "../server/testing/test_database.ts";
import { generateIntoDatabase } from "./generate_scale.ts";
import { assertLineSummariesMatchLines } from "../server/transactions/transactions_fixtures.ts";

Deno.test({
  name: "generateIntoDatabase() writes each order with the line summary a sale keeps",
  // the generator loads by COPY FROM STDIN, which the embedded database's wire server does not take (the
  // large shop it makes is PostgreSQL's: bench scale, bench fraud-history)
  ignore: !Deno.env.get("DATABASE_URL"),
}, async () => {
  const db = await openTestDatabase();
  try {
    const summary = await generateIntoDatabase(db.sql, {
      transactions: 1_500,
      days: 20,
      refreshViews: false,
    });
    assert.equal(summary.transactions, 1_500);
    assert.equal(await assertLineSummariesMatchLines(db.sql), 1_500);
  } finally {
    await db.close();
  }
});
