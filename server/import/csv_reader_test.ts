import assert from "node:assert/strict";
import { join } from "node:path";
import { type CsvReject, type CsvRow, ImportFileError, readCsvHeader, readCsvRows } from "./csv_reader.ts";

async function readAll(path: string, columns: string[]) {
  const rows: CsvRow[] = [];
  const rejects: CsvReject[] = [];
  for await (const row of readCsvRows(path, { columns, onReject: (r) => rejects.push(r) })) rows.push(row);
  return { rows, rejects };
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("readCsvRows()", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("maps fields by header name in any column order, with BOM and CRLF", async () => {
      const path = join(dir, "a.csv");
      await Deno.writeTextFile(path, "\uFEFFb,a\r\n2,1\r\n4,3\r\n");
      const { rows, rejects } = await readAll(path, ["a", "b"]);
      assert.deepEqual(rows, [{ line: 2, fields: { a: "1", b: "2" } }, {
        line: 3,
        fields: { a: "3", b: "4" },
      }]);
      assert.deepEqual(rejects, []);
    });

    await t.step("reads gzip directly and numbers a multi-line quoted record by its first line", async () => {
      const path = join(dir, "b.csv.gz");
      await Deno.writeFile(path, await gzip('a,b\n1,"two\nlines"\n3,4\n'));
      const { rows } = await readAll(path, ["a", "b"]);
      assert.deepEqual(rows.map((r) => [r.line, r.fields.a]), [[2, "1"], [4, "3"]]);
    });

    await t.step("rejects rows with a wrong field count and keeps reading", async () => {
      const path = join(dir, "c.csv");
      await Deno.writeTextFile(path, "a,b\n1\n2,3\n4,5,6\n");
      const { rows, rejects } = await readAll(path, ["a", "b"]);
      assert.deepEqual(rows.map((r) => r.line), [3]);
      assert.deepEqual(rejects.map((r) => [r.line, r.reason]), [
        [2, "Has 1 fields where the header has 2"],
        [4, "Has 3 fields where the header has 2"],
      ]);
    });

    await t.step("refuses an empty file or a wrong header before yielding any row", async () => {
      const empty = join(dir, "empty.csv");
      await Deno.writeTextFile(empty, "");
      await assert.rejects(() => readAll(empty, ["a", "b"]), /Cannot import "empty.csv": the file is empty/);
      const wrong = join(dir, "wrong.csv");
      await Deno.writeTextFile(wrong, "a,c\n1,2\n");
      await assert.rejects(
        () => readAll(wrong, ["a", "b"]),
        (error: unknown) =>
          error instanceof ImportFileError &&
          error.message ===
            'Cannot import "wrong.csv": header is "a,c" (missing "b"; extra "c"), it needs the columns a,b',
      );
    });

    await t.step("readCsvHeader() reads only the first record", async () => {
      const path = join(dir, "h.csv.gz");
      await Deno.writeFile(path, await gzip("x,y,z\n1,2,3\n"));
      assert.deepEqual(await readCsvHeader(path), ["x", "y", "z"]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
