/**
 * The one place money, counts and dates are written for people: cents to the shop's currency,
 * instants in the shop's time zone, all in the shop's locale (`STORE_CURRENCY`, `STORE_LOCALE`,
 * `STORE_TZ`). The server sets the settings once at start (`setStoreSettings`); in the browser they
 * come from the page (`data-store-*` attributes on `<html>`), so a render on the server and a
 * hydration in the browser print the same text.
 */

/** The shop's formatting settings. */
export interface StoreSettings {
  /** ISO 4217 code, e.g. "GBP" */
  currency: string;
  /** BCP 47 tag, e.g. "en-GB" */
  locale: string;
  /** IANA time zone, e.g. "Europe/London" */
  timeZone: string;
}

export const DEFAULT_STORE_SETTINGS: StoreSettings = { currency: "GBP", locale: "en-GB", timeZone: "UTC" };

/** Every formatter, bound to one shop's settings. */
export interface StoreFormat {
  settings: StoreSettings;
  /** `money(123456)` -> "£1,234.56" */
  money(cents: number): string;
  /** Cents as the plain decimal a person types into a form: `amountInput(123456)` -> "1234.56" */
  amountInput(cents: number): string;
  /** `count(5012)` -> "5,012" */
  count(value: number): string;
  /** A share 0..1: `percent(0.423)` -> "42.3%" */
  percent(share: number): string;
  /** Full date and time, for events: "5 Mar 2024, 14:07" */
  dateTime(value: Date | string): string;
  /** A day: "5 Mar 2024" */
  date(value: Date | string): string;
  /** A time of day, for live feeds: "14:07:09" */
  time(value: Date | string): string;
  /** The currency's symbol alone, for labels such as "Min (£)" */
  currencySymbol: string;
}

/**
 * Formatters for `settings`; each field falls back to the default when missing.
 * @example storeFormat({ currency: "EUR", locale: "de-DE", timeZone: "Europe/Berlin" }).money(1999) // "19,99 €"
 */
export function storeFormat(settings: Partial<StoreSettings> = {}): StoreFormat {
  const resolved: StoreSettings = {
    currency: settings.currency || DEFAULT_STORE_SETTINGS.currency,
    locale: settings.locale || DEFAULT_STORE_SETTINGS.locale,
    timeZone: settings.timeZone || DEFAULT_STORE_SETTINGS.timeZone,
  };
  const { currency, locale, timeZone } = resolved;
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const dates = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone });
  const dateTime = dates({ dateStyle: "medium", timeStyle: "short" });
  const date = dates({ dateStyle: "medium" });
  const time = dates({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const symbol = money.formatToParts(0).find((part) => part.type === "currency")?.value ?? currency;
  return {
    settings: resolved,
    money: (cents) => money.format(cents / 100),
    amountInput: (cents) => (cents / 100).toFixed(digits),
    count: (value) => count.format(value),
    percent: (share) => percent.format(share),
    dateTime: (value) => dateTime.format(new Date(value)),
    date: (value) => date.format(new Date(value)),
    time: (value) => time.format(new Date(value)),
    currencySymbol: symbol,
  };
}

let active: StoreFormat | null = null;

/** Sets the shop's settings for every formatter of this process (the server calls it once at start). */
export function setStoreSettings(settings: Partial<StoreSettings>): void {
  active = storeFormat(settings);
}

/** The settings in force, e.g. to write them into a page for the browser. */
export function currentStoreFormat(): StoreFormat {
  if (active) return active;
  // In the browser the page carries the shop's settings (see `storeSettingsAttributes`)
  const dataset = (globalThis as { document?: { documentElement?: { dataset?: Record<string, string> } } })
    .document?.documentElement?.dataset;
  active = storeFormat({
    currency: dataset?.storeCurrency,
    locale: dataset?.storeLocale,
    timeZone: dataset?.storeTz,
  });
  return active;
}

/** The `<html>` attributes that hand the settings to the browser's formatters. */
export function storeSettingsAttributes(settings: StoreSettings): Record<string, string> {
  return {
    "data-store-currency": settings.currency,
    "data-store-locale": settings.locale,
    "data-store-tz": settings.timeZone,
  };
}

/** `formatCents(123456)` -> "£1,234.56" in the shop's currency. */
export function formatCents(cents: number): string {
  return currentStoreFormat().money(cents);
}

/** `formatCount(5012)` -> "5,012" */
export function formatCount(value: number): string {
  return currentStoreFormat().count(value);
}

/**
 * A count with its noun in the right number: `countOf(1, "change")` -> "1 change",
 * `countOf(1200, "transaction")` -> "1,200 transactions"; `plural` for nouns that do not add an s.
 */
export function countOf(value: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(value)} ${value === 1 ? noun : plural}`;
}

/** Change from `previous` to `current` as "+12.5%", "-3.0%", or "new" when there was nothing before. */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? "0.0%" : "new";
  const change = ((current - previous) / previous) * 100;
  return `${change >= 0 ? "+" : ""}${change.toFixed(1)}%`;
}

/** A relative change as the API sends it (0.25 = +25%): "+25.0%", "-3.0%", or "—" when there was no base. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  return `${rate >= 0 ? "+" : ""}${(rate * 100).toFixed(1)}%`;
}

/** A share 0..1 as a percentage: `formatPercent(0.423)` -> "42.3%". */
export function formatPercent(share: number): string {
  return currentStoreFormat().percent(share);
}

// An explicit zone (a page that shows another zone's report) gets its own formatter; the shop's zone
// uses the shared one
function inZone(timeZone: string | undefined): StoreFormat {
  const shop = currentStoreFormat();
  if (!timeZone || timeZone === shop.settings.timeZone) return shop;
  return storeFormat({ ...shop.settings, timeZone });
}

/** Full date and time, the one format for events: "5 Mar 2024, 14:07" (the shop's zone by default). */
export function formatDateTime(value: Date | string, timeZone?: string): string {
  return inZone(timeZone).dateTime(value);
}

/** A day: "5 Mar 2024". */
export function formatDate(value: Date | string, timeZone?: string): string {
  return inZone(timeZone).date(value);
}

/** A time of day, the one format for live feeds: "14:07:09". */
export function formatTime(value: Date | string, timeZone?: string): string {
  return inZone(timeZone).time(value);
}

/** Cents as the decimal a form field holds: `formatAmountInput(123456)` -> "1234.56". */
export function formatAmountInput(cents: number): string {
  return currentStoreFormat().amountInput(cents);
}
