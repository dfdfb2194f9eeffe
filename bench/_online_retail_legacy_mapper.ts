/**
 * The hand-written Online Retail mapper as it was before mappings became data files (commit
 * 18b40dd^, data/mappings/online_retail.ts), kept unchanged as the speed baseline of
 * `deno task bench import`: the declarative mapping must map rows at least as fast. Private to `bench/`.
 * @module
 */
import { z } from "zod";
import type { MappedRow, Mapping } from "../server/import/mapping.ts";

/**
 * The UCI "Online Retail" export (a UK gift shop, 2010-12 to 2011-12): one row per invoice line.
 *
 * Decisions:
 * - StockCode is the sku, upper-cased (the file spells some codes both ways: `85123a` and `85123A`).
 *   Products are 5 digits plus an optional 1-2 letter variant; anything else (POST, DOT, M, C2,
 *   BANK CHARGES, AMAZONFEE, gift vouchers, ...) is a fee or an adjustment and is rejected.
 * - Invoices starting with C are returns: status "refunded" with positive quantities. A positive
 *   quantity on a C invoice, a negative one elsewhere, or zero is rejected. A invoices (bad debt) too.
 * - Exact duplicate rows are rejected (not merged): the file holds 5,268 of them and nothing says a
 *   doubled line was two sales rather than one export glitch.
 * - InvoiceDate has no zone; it is read as UTC. Payment method and channel are unknown: "card" and
 *   "web", as for an online shop.
 */
export const legacyOnlineRetailMapping: Mapping = {
  name: "online-retail",
  description:
    'UCI "Online Retail" (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country)',
  columns: [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
  ],
  createMapper() {
    // Key: the raw row; value: its first line. Only accepted rows are remembered.
    const seen = new Map<string, number>();
    // Invoices repeat their time and products their description on every line: convert each once
    const dates = new Map<string, Date>();
    const categories = new Map<string, string>();
    return (fields, line) => {
      const parsed = rowSchema.safeParse(fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const column = String(issue.path[0] ?? "");
        return `${column}: ${issue.message}, got "${fields[column] ?? ""}"`;
      }
      let createdAt = dates.get(fields.InvoiceDate);
      if (!createdAt) {
        createdAt = new Date(`${fields.InvoiceDate.replace(" ", "T")}Z`);
        if (Number.isNaN(createdAt.getTime())) {
          return `InvoiceDate: is not a real date, got "${fields.InvoiceDate}"`;
        }
        dates.set(fields.InvoiceDate, createdAt);
      }
      const row: OnlineRetailRow = {
        ...parsed.data,
        Quantity: Number(fields.Quantity),
        UnitPrice: Number(fields.UnitPrice),
        InvoiceDate: createdAt,
      };
      const reason = rejectReason(row);
      if (reason) return reason;
      const key =
        `${fields.InvoiceNo}|${fields.StockCode}|${fields.Description}|${fields.Quantity}|${fields.InvoiceDate}|${fields.UnitPrice}|${fields.CustomerID}|${fields.Country}`;
      const first = seen.get(key);
      if (first !== undefined) return `Exact duplicate of line ${first}`;
      seen.set(key, line);
      let category = categories.get(row.Description);
      if (category === undefined) {
        category = categoryOf(row.Description);
        categories.set(row.Description, category);
      }
      return toMappedRow(row, category);
    };
  },
};

// Checks only: zod's transforms cost three times the checks on 541,909 rows, so conversions follow by hand
const rowSchema = z.object({
  InvoiceNo: z.string().regex(/^[A-Z]?\d{6}$/, "must be a 6-digit invoice number, optionally after C or A"),
  StockCode: z.string().min(1, "is empty"),
  Description: z.string(),
  Quantity: z.string().regex(/^-?\d+$/, "must be a whole number"),
  InvoiceDate: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/, "must be YYYY-MM-DD HH:MM:SS"),
  UnitPrice: z.string().regex(/^-?\d*\.?\d+$/, "must be a decimal number"),
  CustomerID: z.string().regex(/^(\d+(\.0+)?)?$/, 'must be a number such as "17850.0" or empty'),
  Country: z.string(),
});

interface OnlineRetailRow {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: number;
  InvoiceDate: Date;
  UnitPrice: number;
  CustomerID: string;
  Country: string;
}

const productCode = /^\d{5}[A-Z]{0,2}$/;

function rejectReason(row: OnlineRetailRow): string | null {
  const code = row.StockCode.toUpperCase();
  if (row.InvoiceNo.startsWith("A")) return `Bad-debt adjustment invoice "${row.InvoiceNo}"`;
  if (!/^C?\d/.test(row.InvoiceNo)) return `Unknown invoice type "${row.InvoiceNo}"`;
  if (!productCode.test(code)) return `Non-product code "${row.StockCode}"`;
  if (row.Description === "") return "Missing description";
  if (row.UnitPrice <= 0) return `UnitPrice ${row.UnitPrice} is not above zero`;
  if (Math.round(row.UnitPrice * 100) === 0) return `UnitPrice ${row.UnitPrice} is below one penny`;
  if (row.Quantity === 0) return "Quantity is zero";
  const isReturn = row.InvoiceNo.startsWith("C");
  if (isReturn && row.Quantity > 0) {
    return `Positive quantity ${row.Quantity} in cancellation invoice "${row.InvoiceNo}"`;
  }
  if (!isReturn && row.Quantity < 0) {
    return `Negative quantity ${row.Quantity} outside a cancellation invoice`;
  }
  return null;
}

function toMappedRow(row: OnlineRetailRow, category: string): MappedRow {
  const customerId = row.CustomerID === "" ? null : String(Math.trunc(Number(row.CustomerID)));
  const country = row.Country === "" || row.Country === "Unspecified" ? null : row.Country;
  return {
    orderRef: row.InvoiceNo,
    createdAt: row.InvoiceDate,
    customer: customerId === null
      ? null
      : { code: `OR-${customerId}`, name: `Customer ${customerId}`, country },
    product: {
      sku: row.StockCode.toUpperCase(),
      name: row.Description,
      category,
      brand: null,
    },
    quantity: Math.abs(row.Quantity),
    unitPriceCents: Math.round(row.UnitPrice * 100),
    paymentMethod: "card",
    channel: "web",
    status: row.InvoiceNo.startsWith("C") ? "refunded" : "completed",
  };
}

// The shop sells gifts and homeware; a few keywords split that into browsable categories
const categoryKeywords: [RegExp, string][] = [
  [/\b(CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER)\b/, "Christmas"],
  [/\b(CANDLES?|T-LIGHTS?|TLIGHTS?|LANTERNS?|LIGHTS?|LAMPS?)\b/, "Candles & Lighting"],
  [/\b(BAGS?|SHOPPER|PURSE|BACKPACK|TOTE)\b/, "Bags"],
  [
    /\b(MUGS?|CUPS?|TEA|TEACUPS?|PLATES?|BOWLS?|JUGS?|CAKE|CAKESTAND|BAKING|LUNCH BOX|TINS?|JARS?|NAPKINS|KITCHEN|SPOONS?|CUTLERY|BOTTLE)\b/,
    "Kitchen & Dining",
  ],
  [
    /\b(CARDS?|WRAP|PAPER|NOTEBOOK|PENCILS?|PEN|STICKERS?|TAPE|RIBBONS?|ENVELOPES?|CALENDAR)\b/,
    "Stationery & Gift Wrap",
  ],
  [/\b(NECKLACE|BRACELET|EARRINGS?|RING|HAIR|JEWELLERY)\b/, "Jewellery & Accessories"],
  [/\b(TOYS?|GAMES?|DOLLS?|JIGSAW|PLAYHOUSE|SKITTLES|SPACEBOY|CHILDRENS|KIDS)\b/, "Toys & Games"],
  [/\b(GARDEN|PLANTS?|PLANTER|FLOWER POT|WATERING|BIRD)\b/, "Garden"],
  [/\b(FRAMES?|CLOCK|MIRROR|CUSHION|DOORMAT|SIGN|HOOKS?|HANGERS?|WALL|DOORSTOP|VASE)\b/, "Home Decor"],
];

/** Derives a category from a product description; "Gifts & Homeware" when no keyword matches. */
function categoryOf(description: string): string {
  const text = description.toUpperCase();
  for (const [pattern, category] of categoryKeywords) if (pattern.test(text)) return category;
  return "Gifts & Homeware";
}
