/**
 * Reads the UCI Online Retail export (gzipped CSV) into zero-filled daily demand series per stock
 * code, for the forecast benchmark. Private to `bench/`.
 */
import { parse } from "csv-parse/stream";
import { fileURLToPath } from "node:url";
import { dailyDemandSeries, type DemandRow } from "../server/inventory/demand_series.ts";

/**
 * Where the shared copy of the Online Retail file is: `ONLINE_RETAIL_FILE` if set, else
 * `shared/data/online_retail.csv.gz` beside the checkout, or beside the folder holding it (a git
 * worktree sits one level deeper than the main checkout).
 */
export function onlineRetailPath(): string {
  const given = Deno.env.get("ONLINE_RETAIL_FILE");
  if (given) return given;
  const candidates = ["../../shared/data/online_retail.csv.gz", "../../../shared/data/online_retail.csv.gz"]
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  for (const path of candidates) {
    try {
      Deno.statSync(path);
      return path;
    } catch {
      // Not there: try the next place.
    }
  }
  return candidates[0];
}

/** One product's daily units from its first sale to the last day of the file. */
export interface ProductSeries {
  id: string;
  start: string;
  units: number[];
}

/** What the reader kept and why it dropped the rest. */
export interface OnlineRetailLoad {
  products: ProductSeries[];
  lastDay: string;
  rows: number;
  kept: number;
  rejected: Record<string, number>;
}

/** Stock codes of real products: five digits and an optional variant suffix (drops POST, DOT, M, ...). */
const PRODUCT_CODE = /^\d{5}[A-Za-z]{0,2}$/;

interface Sale {
  customer: string;
  stockCode: string;
  quantity: number;
  day: string;
  cancelled: boolean;
}

/**
 * Loads `path` and returns the products whose first sale is at least `minSpanDays` before the
 * file's last day. Cancellation invoices ("C...") are dropped, and so is the original line each one
 * cancels (same customer, stock code and quantity, earlier), because those units never left the shop.
 * @param path the gzipped CSV
 */
export async function loadOnlineRetail(
  path: string,
  options: { minSpanDays: number },
): Promise<OnlineRetailLoad> {
  const rejected: Record<string, number> = {};
  function reject(reason: string) {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
  }
  const file = await Deno.open(path);
  const bytes = file.readable.pipeThrough(new DecompressionStream("gzip"));
  // csv-parse's web-stream flavour: a TransformStream from UTF-8 byte chunks to records.
  const records = bytes.pipeThrough(
    parse({ columns: true, skip_empty_lines: true, relax_column_count: true }),
  );

  const seen = new Set<string>();
  const sales: Sale[] = [];
  const cancellations: Sale[] = [];
  let rows = 0;
  let lastDay = "";
  for await (const record of records as ReadableStream<Record<string, string>>) {
    rows++;
    const invoice = record.InvoiceNo ?? "";
    const stockCode = (record.StockCode ?? "").trim().toUpperCase();
    const quantity = Number(record.Quantity);
    const price = Number(record.UnitPrice);
    const day = (record.InvoiceDate ?? "").slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      reject("bad date");
      continue;
    }
    if (day > lastDay) lastDay = day;
    const key = Object.values(record).join("\u0001");
    if (seen.has(key)) {
      reject("exact duplicate");
      continue;
    }
    seen.add(key);
    if (!PRODUCT_CODE.test(stockCode)) {
      reject("not a product code");
      continue;
    }
    if (!Number.isInteger(quantity)) {
      reject("bad quantity");
      continue;
    }
    const sale = { customer: record.CustomerID ?? "", stockCode, quantity, day, cancelled: false };
    if (invoice.startsWith("C")) {
      cancellations.push(sale);
      reject("cancellation");
    } else if (quantity <= 0) {
      reject("negative or zero quantity");
    } else if (!(price > 0)) {
      reject("zero price");
    } else {
      sales.push(sale);
    }
  }

  // Drop the original line each cancellation reverses: latest earlier sale of the same quantity.
  const open = new Map<string, Sale[]>();
  for (const sale of sales) {
    if (!sale.customer) continue;
    const key = `${sale.customer}|${sale.stockCode}|${sale.quantity}`;
    const list = open.get(key);
    if (list) list.push(sale);
    else open.set(key, [sale]);
  }
  for (const cancellation of cancellations) {
    const list = open.get(`${cancellation.customer}|${cancellation.stockCode}|${-cancellation.quantity}`);
    if (!list) continue;
    for (let i = list.length - 1; i >= 0; i--) {
      if (!list[i].cancelled && list[i].day <= cancellation.day) {
        list[i].cancelled = true;
        reject("sale reversed by a cancellation");
        break;
      }
    }
  }

  const byProduct = new Map<string, DemandRow[]>();
  let kept = 0;
  for (const sale of sales) {
    if (sale.cancelled) continue;
    kept++;
    const list = byProduct.get(sale.stockCode);
    if (list) list.push({ day: sale.day, units: sale.quantity });
    else byProduct.set(sale.stockCode, [{ day: sale.day, units: sale.quantity }]);
  }
  const products: ProductSeries[] = [];
  for (const [id, demand] of byProduct) {
    const series = dailyDemandSeries(demand, { to: lastDay });
    if (series.start && series.units.length >= options.minSpanDays) {
      products.push({ id, start: series.start, units: series.units });
    }
  }
  products.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { products, lastDay, rows, kept, rejected };
}
