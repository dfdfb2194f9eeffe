import assert from "node:assert/strict";
import fc from "fast-check";
import { join } from "node:path";
import { importFile, ImportFileError } from "../../server/import/importer.ts";
import { openTestDatabase } from "../../server/testing/test_database.ts";
import { businessFingerprint, changedTables } from "./_hostile.ts";

const header = "sku,name,category,brand,price_cents,cost_cents,stock_quantity,reorder_point,service_level," +
  "target_days_of_cover";

function productLine(i: number): string {
  return `PRP-${String(i).padStart(4, "0")},Cable ${i},Accessories,Acme,${1000 + i},500,${10 + i},,0.95,30`;
}

type Damage = "truncate" | "extraField" | "badNumber" | "openQuote" | "latin1" | "nul";

/** Breaks one data line the way a bad export or a cut-off upload does. */
function damage(line: string, kind: Damage, cut: number): Uint8Array {
  const encoder = new TextEncoder();
  switch (kind) {
    case "truncate":
      // Cut inside the line, before its last field, so it has too few fields
      return encoder.encode(line.slice(0, Math.max(1, Math.min(cut, line.lastIndexOf(",") - 1))));
    case "extraField":
      return encoder.encode(`${line},surplus`);
    case "badNumber":
      return encoder.encode(line.replace(/,(\d+),500,/, ",12x,500,"));
    case "openQuote":
      return encoder.encode(line.replace("Cable", '"Cable'));
    case "latin1": {
      // "Câble" in ISO-8859-1: the byte 0xE2 alone is not UTF-8
      const [before, after] = line.split("Cable");
      return new Uint8Array([...encoder.encode(`${before}C`), 0xe2, ...encoder.encode(`ble${after}`)]);
    }
    case "nul":
      return encoder.encode(line.replace("Cable", "Ca\u0000ble"));
  }
}

Deno.test("malformed product CSVs are refused with line numbers, and strict mode writes nothing", async (t) => {
  const db = await openTestDatabase();
  const dir = await Deno.makeTempDir({ prefix: "techmart-csv-" });
  try {
    await t.step(
      "a file with the wrong columns is refused whole, naming the file and the columns",
      async () => {
        const path = join(dir, "products.csv");
        await Deno.writeTextFile(path, `sku,title,price\nX-1,Cable,100\n`);
        const before = await businessFingerprint(db.sql);
        await assert.rejects(
          () => importFile(db.sql, path, { rejectsDir: false }),
          (error: unknown) => error instanceof ImportFileError && /products\.csv/.test(error.message),
        );
        assert.deepEqual(changedTables(before, await businessFingerprint(db.sql)), []);
      },
    );

    await t.step("randomly damaged lines are each reported by their line number", async () => {
      const damageKind = fc.constantFrom<Damage>(
        "truncate",
        "extraField",
        "badNumber",
        "openQuote",
        "latin1",
        "nul",
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 3, max: 12 }),
          fc.uniqueArray(fc.tuple(fc.nat(11), damageKind, fc.nat(60)), {
            minLength: 1,
            maxLength: 3,
            selector: ([index]) => index,
          }),
          async (count, damages) => {
            const encoder = new TextEncoder();
            const chunks: Uint8Array[] = [encoder.encode(`${header}\n`)];
            const damagedLines = new Map<number, Damage>();
            for (let i = 0; i < count; i++) {
              const hit = damages.find(([index]) => index === i);
              // Line numbers are 1-based and the header is line 1
              if (hit) damagedLines.set(i + 2, hit[1]);
              chunks.push(
                hit
                  ? damage(productLine(run * 100 + i), hit[1], hit[2])
                  : encoder.encode(productLine(run * 100 + i)),
              );
              chunks.push(encoder.encode("\n"));
            }
            run++;
            const path = join(dir, `products.csv`);
            await Deno.writeFile(path, new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
            const before = await businessFingerprint(db.sql);
            let summary;
            try {
              summary = await importFile(db.sql, path, { strict: true, rejectsDir: false });
            } catch (error) {
              // Refusing the whole file is allowed, with a message naming it
              assert.ok(error instanceof ImportFileError, String(error));
              assert.match(error.message, /products\.csv/);
              assert.deepEqual(changedTables(before, await businessFingerprint(db.sql)), []);
              return;
            }
            if (damagedLines.size === 0) return;
            assert.equal(summary.applied, false, "strict mode applies nothing when a line is bad");
            assert.deepEqual(changedTables(before, await businessFingerprint(db.sql)), [], "nothing written");
            assert.ok(summary.rejects.length > 0, "the damage is reported");
            for (const reject of summary.rejects) {
              assert.ok(reject.line >= 2 && reject.line <= count + 1, `line ${reject.line} is a data line`);
              assert.ok(reject.reason.length > 0);
            }
            // An open quote swallows the lines after it into one field, so only its start is certain
            const reported = new Set(summary.rejects.map((reject) => reject.line));
            const firstDamaged = Math.min(...damagedLines.keys());
            assert.ok(
              reported.has(firstDamaged) || damagedLines.get(firstDamaged) === "openQuote",
              `line ${firstDamaged} (${damagedLines.get(firstDamaged)}) is reported: ${
                JSON.stringify(summary.rejects)
              }`,
            );
          },
        ),
        { numRuns: Number(Deno.env.get("PROPERTY_RUNS") ?? 25), seed: 20_261_125 },
      );
    });
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
