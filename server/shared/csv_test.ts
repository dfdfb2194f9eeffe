import assert from "node:assert/strict";
import { centsToDecimal, csvCell, csvLine } from "./csv.ts";

Deno.test("csvCell() leaves plain text, numbers and booleans unquoted", () => {
  assert.equal(csvCell("Laptop 14"), "Laptop 14");
  assert.equal(csvCell(42), "42");
  assert.equal(csvCell(-3.5), "-3.5");
  assert.equal(csvCell(true), "true");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(Number.NaN), "");
});

Deno.test("csvCell() quotes commas, quotes and line breaks, doubling inner quotes", () => {
  assert.equal(csvCell("Cables, USB-C"), '"Cables, USB-C"');
  assert.equal(csvCell('27" monitor'), '"27"" monitor"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell("cr\rlf"), '"cr\rlf"');
});

Deno.test("csvCell() defuses text a spreadsheet would run as a formula", () => {
  assert.equal(csvCell("=1+1"), `"'=1+1"`);
  // issue #13: a semicolon-splitting spreadsheet would start a cell at "=cmd"
  assert.equal(csvCell("note;=cmd|' /C calc'!A0"), `"'note;=cmd|' /C calc'!A0"`);
  assert.equal(csvCell("a; @SUM(A1)"), `"'a; @SUM(A1)"`);
  assert.equal(csvCell("a;b"), `"a;b"`, "a semicolon alone is quoted, not prefixed");
  assert.equal(csvCell("+44 20 7946 0000"), `"'+44 20 7946 0000"`);
  assert.equal(csvCell("-2"), `"'-2"`);
  assert.equal(csvCell("@SUM(A1:A9)"), `"'@SUM(A1:A9)"`);
  assert.equal(csvCell("\t=cmd"), `"'\t=cmd"`);
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell("a=b"), "a=b", "only a leading sign counts");
});

Deno.test("csvCell() writes dates as ISO 8601 in UTC", () => {
  assert.equal(csvCell(new Date("2026-03-01T10:20:30.000Z")), "2026-03-01T10:20:30.000Z");
});

Deno.test("csvLine() joins cells with commas and ends the line with CRLF", () => {
  assert.equal(csvLine(["id", "name, full", 3, null]), 'id,"name, full",3,\r\n');
});

Deno.test("centsToDecimal() turns integer cents into the exact decimal amount", () => {
  assert.equal(centsToDecimal(123456), 1234.56);
  assert.equal(centsToDecimal(7), 0.07);
  assert.equal(centsToDecimal(-5), -0.05);
  assert.equal(centsToDecimal(0), 0);
  assert.equal(csvCell(centsToDecimal(1999)), "19.99");
  assert.equal(csvCell(centsToDecimal(100_000_000_01)), "100000000.01");
});
