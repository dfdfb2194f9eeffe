import assert from "node:assert/strict";
import {
  formatCents,
  formatChange,
  formatCount,
  formatDate,
  formatDateTime,
  formatPercent,
  formatRate,
  formatTime,
  storeFormat,
} from "./format.ts";

Deno.test("formatCents() shows pounds with pence and separators", () => {
  assert.equal(formatCents(123456), "£1,234.56");
  assert.equal(formatCents(0), "£0.00");
});

Deno.test("formatCount() groups thousands", () => {
  assert.equal(formatCount(5012), "5,012");
});

Deno.test("formatChange() signs the percentage and names a start from zero", () => {
  assert.equal(formatChange(110, 100), "+10.0%");
  assert.equal(formatChange(97, 100), "-3.0%");
  assert.equal(formatChange(5, 0), "new");
  assert.equal(formatChange(0, 0), "0.0%");
});

Deno.test("formatRate() signs a relative change and shows a dash when there was no base", () => {
  assert.equal(formatRate(0.25), "+25.0%");
  assert.equal(formatRate(-0.031), "-3.1%");
  assert.equal(formatRate(null), "—");
  assert.equal(formatPercent(0.423), "42.3%");
  assert.equal(formatPercent(0.17), "17.0%");
});

Deno.test("formatDateTime() prints the same text in any process time zone, in the zone asked for", () => {
  const at = "2024-03-05T14:07:09Z";
  assert.equal(formatDateTime(at), "5 Mar 2024, 14:07");
  assert.equal(formatDate(at), "5 Mar 2024");
  assert.equal(formatTime(at), "14:07:09");
  assert.equal(formatTime(at, "America/New_York"), "09:07:09");
});

Deno.test("storeFormat() writes money and dates in the shop's currency, locale and zone", () => {
  const euro = storeFormat({ currency: "EUR", locale: "de-DE", timeZone: "Europe/Berlin" });
  assert.equal(euro.money(194697).replace(/\s/g, " "), "1.946,97 €");
  assert.equal(euro.time("2026-12-06T00:09:04Z"), "01:09:04");
  assert.equal(euro.currencySymbol, "€");
  const pounds = storeFormat({ currency: "GBP", locale: "en-GB", timeZone: "Europe/London" });
  assert.equal(pounds.money(194697), "£1,946.97");
  assert.equal(pounds.dateTime("2026-12-06T00:08:00Z"), "6 Dec 2026, 00:08");
  assert.equal(pounds.date("2026-12-06T00:08:00Z"), "6 Dec 2026");
  assert.equal(pounds.amountInput(10000), "100.00");
});
