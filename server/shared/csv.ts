/**
 * CSV encoding (RFC 4180) for downloads opened in spreadsheets: every cell that needs it is quoted,
 * and text a spreadsheet would run as a formula is defused.
 */

/** A value a CSV cell can hold; null and undefined become an empty cell. */
export type CsvValue = string | number | boolean | Date | null | undefined;

// A spreadsheet treats a cell starting with one of these as a formula (tab and carriage return too,
// because some programs strip them and then read what follows): OWASP's CSV injection advice. A
// spreadsheet set to split on semicolons (or tabs) starts a new cell after one, so a sign right after
// a separator is a formula start as well: `note;=cmd|' /C calc'!A0`
const formulaStart = /(^|[;,\t\r\n])[\s]*[=+\-@\t\r]/;

/**
 * One cell: numbers and booleans as they are, dates as ISO 8601, text quoted when it holds a comma,
 * quote or line break, and prefixed with `'` when it would start a formula.
 * @example csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString();
  if (formulaStart.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  // Semicolons and tabs are quoted too, for spreadsheets that split on them
  return /[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One line of cells, ended by CRLF as RFC 4180 asks. */
export function csvLine(values: CsvValue[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

/**
 * Integer cents as the decimal amount a spreadsheet sums: 123456 -> 1234.56, -5 -> -0.05.
 * @example csvCell(centsToDecimal(1999)) // "19.99"
 */
export function centsToDecimal(cents: number): number {
  // cents / 100 may carry binary error (0.07 -> 0.07000000000000001); toFixed rounds it away and
  // Number() then prints the shortest form
  return Number((cents / 100).toFixed(2));
}
