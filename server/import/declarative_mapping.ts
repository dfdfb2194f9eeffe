// @ts-types="npm:@types/luxon@^3.7.6"
import { DateTime } from "luxon";
import type { Join, Lookups, MappedProduct, MappedRow, Mapping, RowMapper } from "./mapping.ts";
import { type MappingSpec, mappingSpecSchema } from "./mapping_spec.ts";
import type { SaleIdentity } from "../fraud/model/identity.ts";
import { parseIdentityText } from "../fraud/model/identity_schema.ts";
import {
  type Cells,
  compileCondition,
  compileTemplate,
  compileValue,
  constantValue,
  type Fields,
  readNumber,
  RowLayout,
} from "./row_rules.ts";

/** A mapping file that does not match the published schema: each problem names its place in the file. */
export class MappingSpecError extends Error {}

/** Our statuses; a mapping's status field must produce one of them. */
const statuses = new Set(["pending", "completed", "declined", "blocked", "cancelled", "refunded"]);
const paymentMethods = new Set(["card", "paypal", "apple_pay", "google_pay", "bank_transfer", "gift_card"]);
const channels = new Set(["web", "mobile", "store", "phone", "marketplace"]);

export interface CompileOptions {
  /** ISO 4217 code the shop reports in; prices in other currencies are converted. */
  storeCurrency?: string;
  /** Rates given at import time (`--rate USD=0.79`): win over the mapping's own. */
  rates?: Record<string, number>;
}

/** Reads and checks a mapping file's JSON, naming what is wrong and where. */
export function parseMappingSpec(json: unknown, source = "mapping"): MappingSpec {
  const parsed = mappingSpecSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      `${source}: ${issue.path.length ? issue.path.join(".") : "(top)"}: ${issue.message}`
    );
    throw new MappingSpecError(problems.join("\n"));
  }
  return parsed.data;
}

/** How many minor units a currency has (GBP 2, JPY 0), from the platform's own currency data. */
export function minorUnits(currency: string): number {
  let digits = minorUnitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    minorUnitsByCurrency.set(currency, digits);
  }
  return digits;
}

// Building a NumberFormat costs ~50 µs: once per currency, not once per row
const minorUnitsByCurrency = new Map<string, number>();

/** Turns a mapping file into the importer's Mapping: rules compiled once, applied to every row. */
export function compileMapping(spec: MappingSpec, options: CompileOptions = {}): Mapping {
  const storeCurrency = options.storeCurrency ?? "GBP";
  const rates = { ...spec.rates, ...options.rates };
  return {
    name: spec.name,
    description: spec.description,
    columns: spec.columns,
    allowExtraColumns: true,
    target: spec.target,
    ...(spec.dataset ? { dataset: { main: spec.dataset.main, joins: spec.dataset.join } } : {}),
    createMapper(lookups) {
      const mapRow = createRowMapper(spec, storeCurrency, rates);
      return spec.dataset ? joiningMapper(spec.dataset.join, lookups ?? new Map(), mapRow) : mapRow;
    },
  };
}

function trim(text: string): string {
  return text.trim();
}

/** A currency code as our rows hold it: three letters A-Z, checked without a regular expression. */
function isCurrencyCode(code: string): boolean {
  if (code.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = code.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/**
 * Compiles a mapping into one function per row. Everything that does not depend on the row is done
 * here, once: value rules are compiled to readers that do only the parts they have, constants (a
 * payment method, a channel, a currency) are read and trimmed once, the cells several rules read as
 * numbers are parsed once per distinct text, and currencies' minor units are looked up once each.
 */
function createRowMapper(spec: MappingSpec, storeCurrency: string, rates: Record<string, number>): RowMapper {
  const layout = new RowLayout();
  /** A field's reader: its trimmed text, or a Rejection. Constants are worked out now. */
  function field(name: string, valueSpec: MappingSpec["quantity"] | undefined, fallback = "") {
    if (!valueSpec) return () => fallback;
    const constant = constantValue(valueSpec, name);
    if (constant !== undefined) {
      const trimmed = constant.trim();
      return () => trimmed;
    }
    return compileValue(valueSpec, name, layout, trim);
  }
  const orderRef = spec.orderRef ? compileValue(spec.orderRef, "orderRef", layout) : () => "";
  const validations = (spec.validate ?? []).map((rule) => ({
    column: rule.column,
    slot: layout.slot(rule.column),
    pattern: new RegExp(rule.pattern),
    message: rule.message,
  }));
  const rejects = (spec.reject ?? []).map((rule) => ({
    when: compileCondition(rule.when, layout),
    reason: compileTemplate(rule.reason, layout),
  }));
  // Catalog exports carry no sale time
  const readDate = spec.createdAt
    ? createDateReader(spec.createdAt, layout.slot(spec.createdAt.column))
    : () => new Date(0);
  const customerCode = spec.customer ? field("customer.code", spec.customer.code) : () => "";
  const customerName = field("customer.name", spec.customer?.name);
  const customerCountry = field("customer.country", spec.customer?.country);
  const sku = field("product.sku", spec.product.sku);
  const productName = field("product.name", spec.product.name);
  const category = field("product.category", spec.product.category, "Uncategorised");
  const brand = field("product.brand", spec.product.brand);
  const quantity = field("quantity", spec.quantity);
  const refunded = spec.refundedQuantity ? field("refundedQuantity", spec.refundedQuantity) : () => "0";
  const unitPrice = spec.unitPrice ? field("unitPrice", spec.unitPrice) : field("lineTotal", spec.lineTotal);
  const priceField = spec.unitPrice ? "unitPrice" : "lineTotal";
  const currency = field("currency", spec.currency, storeCurrency);
  const status = field("status", spec.status);
  const paymentMethod = field("paymentMethod", spec.paymentMethod, "card");
  const channel = field("channel", spec.channel, "web");
  const cost = field("cost", spec.cost);
  const stock = field("stock", spec.stock, "0");
  const identityReaders = Object.entries(spec.identity ?? {}).flatMap(([key, valueSpec]) =>
    valueSpec ? [[key as keyof SaleIdentity, field(`identity.${key}`, valueSpec)] as const] : []
  );
  const products = spec.target === "products";
  const minorPrices = spec.priceUnit === "minor";
  const columns = spec.columns;
  const columnSlots = columns.map((column) => layout.slot(column));
  // Every slot is given out by now: one cells buffer serves every row
  const cells: string[] = layout.columns.map(() => "");
  const keyParts: string[] = columns.map(() => "");

  // Order-level cells that the export writes on an order's first row only
  const fillDown = spec.fillDown ?? [];
  const firstRows = new Map<string, Fields>();
  const seen = new Map<string, Map<string, number>>();

  /** 10 ** minor units of each currency met, so a row costs a lookup, not an Intl call. */
  const minorFactors = new Map<string, number>();
  function minorFactor(code: string): number {
    let factor = minorFactors.get(code);
    if (factor === undefined) {
      factor = 10 ** minorUnits(code);
      minorFactors.set(code, factor);
    }
    return factor;
  }

  /** An amount in `code`'s minor units, in the store's currency (cents), or why it cannot be. */
  function toStoreCents(minor: number, code: string): number | string {
    if (code === storeCurrency) return Math.round(minor);
    const rate = rates[code];
    if (rate === undefined) {
      return `currency: no rate for ${code} to ${storeCurrency}; give one in the mapping's "rates" ` +
        `(or --rate ${code}=<rate> on the command line)`;
    }
    return Math.round(minor / minorFactor(code) * rate * minorFactor(storeCurrency));
  }

  /** A catalog row: price, cost and stock of one product (or variant). */
  function productOf(text: {
    sku: string;
    name: string;
    category: string;
    brand: string;
    currency: string;
    unitPrice: string;
    cost: string;
    stock: string;
  }): MappedProduct | string {
    const code = text.currency.toUpperCase();
    if (!isCurrencyCode(code)) return `currency: must be a 3-letter ISO 4217 code, got "${text.currency}"`;
    const toMinor = (amount: number) => minorPrices ? amount : amount * minorFactor(code);
    const priceText = text.unitPrice;
    const price = readNumber(priceText);
    if (Number.isNaN(price) || price <= 0) {
      return `unitPrice: must be a price above zero, got "${priceText}"`;
    }
    const priceCents = toStoreCents(toMinor(price), code);
    if (typeof priceCents === "string") return priceCents;
    let costCents: number | null = null;
    const costText = text.cost;
    if (costText !== "") {
      const amount = readNumber(costText);
      if (Number.isNaN(amount) || amount < 0) return `cost: must be an amount, got "${costText}"`;
      const converted = toStoreCents(toMinor(amount), code);
      if (typeof converted === "string") return converted;
      costCents = converted;
    }
    const stockText = text.stock;
    const units = readNumber(stockText === "" ? "0" : stockText);
    if (!Number.isInteger(units)) return `stock: must be a whole number, got "${stockText}"`;
    return {
      kind: "product",
      sku: text.sku,
      name: text.name,
      category: text.category || "Uncategorised",
      brand: text.brand || null,
      priceCents,
      costCents,
      // a negative count (oversold on the platform) is no stock here
      stockQuantity: Math.max(0, units),
    };
  }

  return (raw, line) => {
    let fields = raw;
    layout.read(raw, cells);
    const ref = orderRef(cells);
    if (typeof ref !== "string") return ref.reason;
    if (ref.trim() === "") return "orderRef: is empty";
    if (fillDown.length > 0) {
      const first = firstRows.get(ref);
      if (!first) firstRows.set(ref, raw);
      else {
        fields = { ...raw };
        for (const column of fillDown) {
          if ((fields[column] ?? "").trim() === "") fields[column] = first[column] ?? "";
        }
        layout.read(fields, cells);
      }
    }
    for (let i = 0; i < validations.length; i++) {
      const rule = validations[i];
      const cell = cells[rule.slot];
      if (!rule.pattern.test(cell)) return `${rule.column}: ${rule.message}, got "${cell}"`;
    }
    for (let i = 0; i < rejects.length; i++) if (rejects[i].when(cells)) return rejects[i].reason(cells);
    if (spec.rejectDuplicates) {
      // The row as written (before any fill-down), among the rows of its order: identical rows have
      // the same order reference, and small per-order maps are cheaper than one map of every row
      let key = "";
      if (fields === raw) {
        for (let i = 0; i < columnSlots.length; i++) keyParts[i] = cells[columnSlots[i]];
        key = keyParts.join("\u0001");
      } else for (let i = 0; i < columns.length; i++) key += (raw[columns[i]] ?? "") + "\u0001";
      let ofOrder = seen.get(ref);
      if (!ofOrder) seen.set(ref, ofOrder = new Map());
      const first = ofOrder.get(key);
      if (first !== undefined) return `Exact duplicate of line ${first}`;
      ofOrder.set(key, line);
    }

    // Each field's text, or the first reason to reject the row (in the order the fields are listed)
    const skuText = sku(cells);
    if (typeof skuText !== "string") return skuText.reason;
    const nameText = productName(cells);
    if (typeof nameText !== "string") return nameText.reason;
    const categoryText = category(cells);
    if (typeof categoryText !== "string") return categoryText.reason;
    const brandText = brand(cells);
    if (typeof brandText !== "string") return brandText.reason;
    const quantityText = quantity(cells);
    if (typeof quantityText !== "string") return quantityText.reason;
    const priceText = unitPrice(cells);
    if (typeof priceText !== "string") return priceText.reason;
    const currencyText = currency(cells);
    if (typeof currencyText !== "string") return currencyText.reason;
    const statusText = status(cells);
    if (typeof statusText !== "string") return statusText.reason;
    const paymentText = paymentMethod(cells);
    if (typeof paymentText !== "string") return paymentText.reason;
    const channelText = channel(cells);
    if (typeof channelText !== "string") return channelText.reason;
    const customerText = customerCode(cells);
    if (typeof customerText !== "string") return customerText.reason;
    const customerNameText = customerName(cells);
    if (typeof customerNameText !== "string") return customerNameText.reason;
    const countryText = customerCountry(cells);
    if (typeof countryText !== "string") return countryText.reason;
    const refundedText = refunded(cells);
    if (typeof refundedText !== "string") return refundedText.reason;
    const costText = cost(cells);
    if (typeof costText !== "string") return costText.reason;
    const stockText = stock(cells);
    if (typeof stockText !== "string") return stockText.reason;

    const createdAt = readDate(cells);
    if (typeof createdAt === "string") return createdAt;
    if (skuText === "") return "product.sku: is empty";
    if (nameText === "") return "Missing description";
    if (products) {
      return productOf({
        sku: skuText,
        name: nameText,
        category: categoryText,
        brand: brandText,
        currency: currencyText,
        unitPrice: priceText,
        cost: costText,
        stock: stockText,
      });
    }
    const units = readNumber(quantityText);
    if (!Number.isInteger(units)) return `quantity: must be a whole number, got "${quantityText}"`;
    if (units <= 0) return `quantity: must be above zero, got ${units}`;
    const refundedUnits = refundedText === "0" ? 0 : readNumber(refundedText === "" ? "0" : refundedText);
    if (!Number.isInteger(refundedUnits) || refundedUnits < 0 || refundedUnits > units) {
      return `refundedQuantity: must be a whole number from 0 to ${units}, got "${refundedText}"`;
    }
    if (!statuses.has(statusText)) {
      return `status: "${statusText}" is not one of ${[...statuses].join(", ")} (add it to the status map)`;
    }
    if (!paymentMethods.has(paymentText)) {
      return `paymentMethod: "${paymentText}" is not one of ${[...paymentMethods].join(", ")}`;
    }
    if (!channels.has(channelText)) {
      return `channel: "${channelText}" is not one of ${[...channels].join(", ")}`;
    }
    let identity: SaleIdentity | undefined;
    if (identityReaders.length > 0) {
      const identityText: Partial<Record<keyof SaleIdentity, string>> = {};
      for (const [key, read] of identityReaders) {
        const result = read(cells);
        if (typeof result !== "string") return result.reason;
        identityText[key] = result;
      }
      const parsed = parseIdentityText(identityText, (key) => `identity.${key}`);
      if (typeof parsed === "string") return parsed;
      identity = parsed;
    }

    const written = readNumber(priceText);
    if (Number.isNaN(written)) return `${priceField}: must be a number, got "${priceText}"`;
    // A line total covers every unit, refunded ones included
    const price = spec.unitPrice ? written : written / units;
    const code = currencyText.toUpperCase();
    if (!isCurrencyCode(code)) return `currency: must be a 3-letter ISO 4217 code, got "${currencyText}"`;
    const originalMinor = minorPrices ? price : price * minorFactor(code);
    const unitPriceCents = toStoreCents(originalMinor, code);
    if (typeof unitPriceCents === "string") return unitPriceCents;
    if (unitPriceCents <= 0) return `${priceField}: must be above zero, got ${priceText}`;

    const base: MappedRow = {
      orderRef: ref,
      createdAt,
      customer: customerText === "" ? null : {
        code: customerText,
        name: customerNameText || customerText,
        country: countryText || null,
      },
      product: {
        sku: skuText,
        name: nameText,
        category: categoryText || "Uncategorised",
        brand: brandText || null,
      },
      quantity: units,
      unitPriceCents,
      paymentMethod: paymentText,
      channel: channelText,
      status: statusText,
      ...(identity ? { identity } : {}),
    };
    if (code !== storeCurrency) base.original = { currency: code, unitPriceMinor: Math.round(originalMinor) };
    if (refundedUnits === 0) return base;
    // A partial refund: the kept units stay a sale, the refunded ones become a refund order beside it
    const refund: MappedRow = {
      ...base,
      orderRef: `${ref}-R`,
      quantity: refundedUnits,
      status: "refunded",
    };
    if (refundedUnits === units || base.status === "refunded") return [{ ...base, status: "refunded" }];
    return [{ ...base, quantity: units - refundedUnits }, refund];
  };
}

/** Reads the sale's time by the mapping's format and zone; remembers answers (exports repeat times). */
function createDateReader(
  spec: NonNullable<MappingSpec["createdAt"]>,
  slot: number,
): (cells: Cells) => Date | string {
  const formats = spec.format.split("||").map((format) => format.trim());
  const cache = new Map<string, Date>();
  const zoned = DateTime.utc().setZone(spec.zone);
  if (!zoned.isValid) {
    throw new MappingSpecError(`createdAt.zone: "${spec.zone}" is not an IANA time zone`);
  }
  // Parsers chosen once: numeric formats in UTC are read by a regular expression and Date.UTC,
  // everything else (and anything the quick reader is unsure of) by Luxon
  const utc = zoned.zone.isUniversal && zoned.offset === 0;
  const quick = formats.map((format) => utc ? numericUtcReader(format) : null);
  // Lines of one order are written one after another with the same time
  let lastCell: string | undefined;
  let lastDate: Date | undefined;
  return (cells) => {
    const cell = cells[slot];
    if (cell === lastCell && lastDate) return lastDate;
    const text = cell.trim();
    const known = cache.get(text);
    if (known) {
      lastCell = cell;
      lastDate = known;
      return known;
    }
    for (const [i, format] of formats.entries()) {
      const date = quick[i]?.(text);
      if (date) {
        if (cache.size < 200_000) cache.set(text, date);
        lastCell = cell;
        lastDate = date;
        return date;
      }
      const parsed = format === "iso"
        ? DateTime.fromISO(text, { zone: spec.zone })
        : format === "unix"
        ? (/^\d+(\.\d+)?$/.test(text) ? DateTime.fromSeconds(Number(text)) : DateTime.invalid("not seconds"))
        : DateTime.fromFormat(text, format, { zone: spec.zone });
      if (parsed.isValid) {
        const date = parsed.toJSDate();
        if (cache.size < 200_000) cache.set(text, date);
        lastCell = cell;
        lastDate = date;
        return date;
      }
    }
    return `${spec.column}: is not a time in the format ${formats.join(" or ")}, got "${text}"`;
  };
}

/** Luxon tokens of fixed-width numbers, with their place in Date.UTC's arguments. */
const numericTokens: Record<string, number> = { yyyy: 0, MM: 1, dd: 2, HH: 3, mm: 4, ss: 5 };

/**
 * A quick reader of `format` as a UTC time when the format is only fixed-width numbers (yyyy MM dd
 * HH mm ss) between other characters, else null. It answers only for real calendar times (the parts
 * read back unchanged from the Date), and null otherwise, so Luxon decides every doubtful case.
 */
function numericUtcReader(format: string): ((text: string) => Date | null) | null {
  const parts = format.match(/yyyy|MM|dd|HH|mm|ss|[^A-Za-z]/g);
  if (!parts || parts.join("") !== format) return null;
  const places: number[] = [];
  let pattern = "^";
  for (const part of parts) {
    const place = numericTokens[part];
    if (place === undefined) pattern += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else {
      if (places.includes(place)) return null;
      places.push(place);
      pattern += place === 0 ? "(\\d{4})" : "(\\d{2})";
    }
  }
  // Luxon needs a year, a month and a day to place a time; formats without them stay with Luxon
  if (!places.includes(0) || !places.includes(1) || !places.includes(2)) return null;
  const regex = new RegExp(`${pattern}$`);
  const values = [0, 1, 1, 0, 0, 0];
  return (text) => {
    const match = regex.exec(text);
    if (!match) return null;
    for (let i = 0; i < places.length; i++) values[places[i]] = Number(match[i + 1]);
    const [year, month, day, hour, minute, second] = values;
    const time = Date.UTC(year, month - 1, day, hour, minute, second);
    const date = new Date(time);
    const exact = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute &&
      date.getUTCSeconds() === second;
    return exact ? date : null;
  };
}

/**
 * Adds the joined files' columns to each row (`order.created_at`, `customer.email`, ...) before mapping it;
 * a row whose key has no match in a joined file is rejected, naming the file and the key.
 */
function joiningMapper(joins: readonly Join[], lookups: Lookups, mapRow: RowMapper): RowMapper {
  return (raw, line) => {
    const fields: Fields = { ...raw };
    for (const join of joins) {
      const key = (fields[join.on] ?? "").trim();
      const row = lookups.get(join.as)?.get(key);
      if (!row) return `${join.on}: "${key}" is not in ${join.file}.csv (column ${join.key})`;
      for (const column in row) fields[`${join.as}.${column}`] = row[column];
    }
    return mapRow(fields, line);
  };
}
