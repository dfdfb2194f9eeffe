import { basename, dirname, join } from "node:path";
import type { Sql, TransactionSql } from "../db/mod.ts";
import { type CsvReject, ImportFileError, readCsvHeader, readCsvRows } from "./csv_reader.ts";
import { csvLine } from "./csv_write.ts";
import { createMappedDataset, type MappedDataset } from "./mapped_dataset.ts";
import { loadDataset } from "./dataset_files.ts";
import type { Lookups, MappedProduct, Mapping } from "./mapping.ts";
import {
  type CustomerRow,
  describeIssue,
  isNativeHeader,
  nativeColumns,
  nativeFormats,
  type NativeKind,
  nativeKinds,
  nativeOptionalColumns,
  type ProductRow,
  type ProductSupplierRow,
  type SupplierRow,
  type TransactionLineRow,
} from "./native_formats.ts";
import { addOrderLine, newestOrderTime, type Order, orderTotals } from "./orders.ts";
import { IDENTITY_CSV_COLUMNS, parseIdentityText } from "../fraud/model/identity_schema.ts";
import {
  findIds,
  insertCustomers,
  insertProducts,
  insertProductSuppliers,
  insertSuppliers,
  insertTransactions,
  type TransactionInsert,
} from "./writers.ts";

export { ImportFileError } from "./csv_reader.ts";

/** A row that was not imported, and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** What happened to one file. `read` = inserted + skipped + rejected (rows, not counting the header). */
export interface ImportSummary {
  file: string;
  /** A native kind ("products", ...) or the mapping's name. */
  kind: string;
  read: number;
  inserted: number;
  /** Rows whose natural key was already in the database. */
  skipped: number;
  rejected: number;
  /** Sorted by line. */
  rejects: RejectedRow[];
  /** False when nothing was written (strict mode with rejects, or another file failed). */
  applied: boolean;
  /** New database rows by table (a mapped file creates products, customers, transactions and items). */
  created: Partial<
    Record<"suppliers" | "products" | "product_suppliers" | "customers" | "transactions" | "items", number>
  >;
  /** Where the rejects were written, when there were any. */
  rejectsFile?: string;
}

/** True when the import created sales (the fraud prior then scores them: `scoreImportedHistoryWithPrior`). */
export function importedSales(summaries: readonly ImportSummary[]): boolean {
  return summaries.some((summary) => (summary.created.transactions ?? 0) > 0);
}

export interface ImportProgress {
  file: string;
  phase: "reading" | "writing";
  /** 0..1 of the current phase. */
  fraction: number;
}

export interface ImportOptions {
  /** Read each file as this foreign format instead of our own CSVs. */
  mapping?: Mapping;
  /** Apply nothing when any row is rejected. */
  strict?: boolean;
  /** Write everything in one transaction, count it, and roll it back: what an import would do. */
  dryRun?: boolean;
  /** Shift every timestamp (orders, customers' sign-up) so the newest order happened at this instant. */
  shiftTo?: Date;
  /** Folder for `<file>.rejects.csv`; default beside the file (or the working folder when that is read-only); false: none. */
  rejectsDir?: string | false;
  onProgress?(progress: ImportProgress): void;
}

interface ParsedFile {
  path: string;
  kind: string;
  read: number;
  rejects: RejectedRow[];
  data:
    | { kind: "suppliers"; rows: Lined<SupplierRow>[] }
    | { kind: "products"; rows: Lined<ProductRow>[] }
    | { kind: "product_suppliers"; rows: Lined<ProductSupplierRow>[] }
    | { kind: "customers"; rows: Lined<CustomerRow>[] }
    | { kind: "transactions"; orders: Map<string, Order> }
    | { kind: "mapped"; dataset: MappedDataset }
    | { kind: "mapped_products"; rows: Lined<MappedProduct>[] };
}

interface Lined<T> {
  line: number;
  row: T;
}

interface Applied {
  inserted: number;
  skipped: number;
  rejects: RejectedRow[];
  created: ImportSummary["created"];
}

class StrictRollback extends Error {}
class DryRunRollback extends Error {}

/**
 * Imports one file, or every known file of a directory in dependency order. Each file is applied in
 * one database transaction (in strict mode, all files in one); rejected rows are skipped and reported.
 * @throws ImportFileError when a file cannot be read or has the wrong header: then nothing is applied
 * @example await importPath(sql, "data/sample", { shiftTo: new Date() })
 */
export function importPath(sql: Sql, path: string, options: ImportOptions = {}): Promise<ImportSummary[]> {
  return importPaths(sql, [path], options);
}

/** Imports several files or directories in the order given, as importPath does for one. */
export async function importPaths(
  sql: Sql,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary[]> {
  let files = [];
  for (const path of paths) files.push(...await listFiles(path, options.mapping));
  let lookups: Lookups | undefined;
  if (options.mapping?.dataset) {
    // Several files, one dataset: the joined files are read into memory and lend their columns to the lines
    const dataset = await loadDataset(files, options.mapping.dataset);
    files = [dataset.main];
    lookups = dataset.lookups;
  }
  // Read every file before writing any: a bad header or unreadable file anywhere applies nothing
  const parsed: ParsedFile[] = [];
  for (const file of files) parsed.push(await parseFile(file.path, file.kind, options, lookups));
  const shiftMs = options.shiftTo ? shiftFor(parsed, options.shiftTo) : 0;

  let results: (Applied | null)[];
  if (options.dryRun) {
    // Everything is written, counted, and rolled back: the answer is what an import would do now
    results = parsed.map(() => null);
    await sql.begin(async (tx) => {
      for (const [i, file] of parsed.entries()) results[i] = await applyFile(tx, file, shiftMs, options);
      throw new DryRunRollback();
    }).catch((error) => {
      if (!(error instanceof DryRunRollback)) throw error;
    });
    return Promise.all(parsed.map((file, i) => summarise(file, results[i], false, options, true)));
  }
  if (options.strict) {
    results = parsed.map(() => null);
    if (parsed.every((file) => file.rejects.length === 0)) {
      try {
        await sql.begin(async (tx) => {
          for (const [i, file] of parsed.entries()) {
            results[i] = await applyFile(tx, file, shiftMs, options);
            if (results[i]!.rejects.length > 0) throw new StrictRollback();
          }
        });
      } catch (error) {
        if (!(error instanceof StrictRollback)) throw error;
        // Keep the rejects found while applying, but nothing was written
        results = results.map((r) => r && { ...r, inserted: 0, skipped: 0, created: {} });
        return Promise.all(parsed.map((file, i) => summarise(file, results[i], false, options)));
      }
    }
    const applied = results.every((r) => r !== null);
    return Promise.all(parsed.map((file, i) => summarise(file, results[i], applied, options)));
  }
  results = [];
  for (const file of parsed) {
    results.push(await sql.begin((tx) => applyFile(tx, file, shiftMs, options)));
  }
  return Promise.all(parsed.map((file, i) => summarise(file, results[i], true, options)));
}

/** Imports one file; see importPath. */
export async function importFile(
  sql: Sql,
  path: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const info = await statOrFail(path);
  if (info.isDirectory) throw new ImportFileError(`Cannot import "${basename(path)}": it is a directory`);
  const [summary] = await importPath(sql, path, options);
  return summary;
}

async function listFiles(path: string, mapping?: Mapping): Promise<{ path: string; kind: string }[]> {
  const info = await statOrFail(path);
  if (!info.isDirectory) return [{ path, kind: mapping ? mapping.name : await detectKind(path) }];
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    if (entry.isFile && /\.csv(\.gz)?$/.test(entry.name) && !entry.name.includes(".rejects.")) {
      names.push(entry.name);
    }
  }
  if (mapping) return names.sort().map((name) => ({ path: join(path, name), kind: mapping.name }));
  const files = nativeKinds.flatMap((kind) =>
    names.filter((name) => stripExtension(name) === kind).map((name) => ({ path: join(path, name), kind }))
  );
  if (files.length === 0) {
    throw new ImportFileError(
      `Cannot import "${path}": no known files in it, expected ${
        nativeKinds.map((k) => `${k}.csv`).join(", ")
      }`,
    );
  }
  return files;
}

async function statOrFail(path: string): Promise<Deno.FileInfo> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : String(error);
    throw new ImportFileError(`Cannot import "${basename(path)}": ${reason}`);
  }
}

/** A native file is known by its name (products.csv) or, failing that, by its header. */
async function detectKind(path: string): Promise<NativeKind> {
  const byName = nativeKinds.find((kind) => kind === stripExtension(basename(path)));
  if (byName) return byName;
  const header = await readCsvHeader(path);
  const byHeader = nativeKinds.find((kind) => isNativeHeader(kind, header));
  if (byHeader) return byHeader;
  const expected = nativeKinds.map((kind) => `${kind} (${nativeColumns(kind).join(",")})`).join("; ");
  throw new ImportFileError(
    `Cannot import "${basename(path)}": header is "${
      header.join(",")
    }"; it needs the columns of ${expected}, ` +
      `or a --mapping for another shop's export`,
  );
}

function stripExtension(name: string): string {
  return name.replace(/\.gz$/, "").replace(/\.csv$/, "");
}

async function parseFile(
  path: string,
  kind: string,
  options: ImportOptions,
  lookups?: Lookups,
): Promise<ParsedFile> {
  const rejects: RejectedRow[] = [];
  // Rows the CSV reader drops (bad quoting, wrong field count) never reach the loops below but were read
  let unreadable = 0;
  const onReject = (reject: CsvReject) => {
    unreadable++;
    rejects.push({ line: reject.line, reason: reject.reason });
  };
  let lastReport = 0;
  const onProgress = options.onProgress &&
    ((done: number, total: number) => {
      // Chunks arrive every 64 KiB; a few dozen updates per file are plenty
      if (done !== total && done - lastReport < total / 200) return;
      lastReport = done;
      options.onProgress!({ file: path, phase: "reading", fraction: total ? done / total : 1 });
    });
  let read = 0;

  if (options.mapping) {
    const mapRow = options.mapping.createMapper(lookups);
    const dataset = createMappedDataset();
    // a catalog export (target "products"): one product or variant a row, the first row of a SKU wins
    const catalog: Lined<MappedProduct>[] = [];
    const catalogLines = new Map<string, number>();
    for await (
      const { line, fields } of readCsvRows(path, {
        columns: options.mapping.columns,
        allowExtraColumns: options.mapping.allowExtraColumns,
        onReject,
        onProgress,
      })
    ) {
      read++;
      const mapped = mapRow(fields, line);
      if (typeof mapped === "object" && "kind" in mapped) {
        const first = catalogLines.get(mapped.sku);
        if (first !== undefined) {
          rejects.push({ line, reason: `Duplicate sku "${mapped.sku}", first on line ${first}` });
        } else {
          catalogLines.set(mapped.sku, line);
          catalog.push({ line, row: mapped });
        }
        continue;
      }
      const reason = typeof mapped === "string"
        ? mapped
        : Array.isArray(mapped)
        ? mapped.map((row, i) => dataset.add(row, line, i > 0)).find((r) => r !== null) ?? null
        : dataset.add(mapped, line);
      if (reason) rejects.push({ line, reason });
    }
    return {
      path,
      kind,
      read: read + unreadable,
      rejects,
      data: options.mapping.target === "products"
        ? { kind: "mapped_products", rows: catalog }
        : { kind: "mapped", dataset: dataset.build() },
    };
  }

  const nativeKind = kind as NativeKind;
  const format = nativeFormats[nativeKind];
  // A transactions file may add any of the identity columns after the required ones
  const header = nativeKind === "transactions" ? await readCsvHeader(path) : [];
  const identityColumns = Object.keys(IDENTITY_CSV_COLUMNS).filter((column) =>
    header.includes(column)
  ) as (keyof typeof IDENTITY_CSV_COLUMNS)[];
  const optionalColumns = nativeOptionalColumns(nativeKind).filter((column) => header.includes(column));
  const columns = [...nativeColumns(nativeKind), ...optionalColumns];
  const csvNameOf = Object.fromEntries(Object.entries(IDENTITY_CSV_COLUMNS).map(([csv, api]) => [api, csv]));
  const rows: Lined<unknown>[] = [];
  const firstLine = new Map<string, number>();
  const orders = new Map<string, Order>();
  for await (const { line, fields } of readCsvRows(path, { columns, onReject, onProgress })) {
    read++;
    const result = format.schema.safeParse(fields);
    if (!result.success) {
      rejects.push({ line, reason: describeIssue(result.error, fields) });
      continue;
    }
    if (nativeKind === "transactions") {
      const row = result.data as TransactionLineRow;
      const identity = identityColumns.length === 0 ? undefined : parseIdentityText(
        Object.fromEntries(identityColumns.map((column) => [IDENTITY_CSV_COLUMNS[column], fields[column]])),
        (key) => csvNameOf[key],
      );
      if (typeof identity === "string") {
        rejects.push({ line, reason: identity });
        continue;
      }
      const label = (fields.fraud_label ?? "").trim().toLowerCase();
      if (label !== "" && label !== "fraud" && label !== "legit") {
        rejects.push({
          line,
          reason: `fraud_label: must be fraud, legit or blank, got "${fields.fraud_label}"`,
        });
        continue;
      }
      const reason = addOrderLine(orders, {
        identity,
        ...(label === "" ? {} : { fraudLabel: label as "fraud" | "legit" }),
        line,
        orderRef: row.order_ref,
        createdAt: row.created_at,
        customerCode: row.customer_code,
        sku: row.sku,
        quantity: row.quantity,
        unitPriceCents: row.unit_price_cents,
        paymentMethod: row.payment_method,
        channel: row.channel,
        status: row.status,
      });
      if (reason) rejects.push({ line, reason });
      continue;
    }
    // deno-lint-ignore no-explicit-any -- the schema and its key function belong to the same kind
    const key = (format.key as (row: any) => string)(result.data);
    const first = firstLine.get(key);
    if (first !== undefined) {
      rejects.push({ line, reason: `Duplicate ${format.keyName} "${key}", first on line ${first}` });
      continue;
    }
    firstLine.set(key, line);
    rows.push({ line, row: result.data });
  }
  const data = nativeKind === "transactions"
    ? { kind: "transactions" as const, orders }
    : { kind: nativeKind, rows } as ParsedFile["data"];
  return { path, kind, read: read + unreadable, rejects, data };
}

function shiftFor(parsed: ParsedFile[], shiftTo: Date): number {
  let newest: Date | null = null;
  for (const file of parsed) {
    const orders = file.data.kind === "transactions"
      ? file.data.orders.values()
      : file.data.kind === "mapped"
      ? file.data.dataset.orders.values()
      : null;
    const time = orders ? newestOrderTime(orders) : null;
    if (time && (!newest || time > newest)) newest = time;
  }
  if (!newest) {
    // No orders in this import: the newest sign-up moves to shiftTo instead
    for (const file of parsed) {
      if (file.data.kind !== "customers") continue;
      for (const { row } of file.data.rows) if (!newest || row.created_at > newest) newest = row.created_at;
    }
  }
  return newest ? shiftTo.getTime() - newest.getTime() : 0;
}

/** Planning settings of a product that came from another system: the shop's usual defaults. */
const foreignPlanningDefaults = { reorderPoint: null, serviceLevel: 0.95, targetDaysOfCover: 30 };

async function applyFile(
  tx: TransactionSql,
  file: ParsedFile,
  shiftMs: number,
  options: ImportOptions,
): Promise<Applied> {
  const writing = (fraction: number) => options.onProgress?.({ file: file.path, phase: "writing", fraction });
  writing(0);
  const shift = (date: Date) => new Date(date.getTime() + shiftMs);
  const data = file.data;
  let applied: Applied;
  switch (data.kind) {
    case "suppliers": {
      const inserted = await insertSuppliers(tx, data.rows.map(({ row }) => row));
      applied = countByKey(data.rows, (row) => row.code, inserted, "suppliers");
      break;
    }
    case "products": {
      const inserted = await insertProducts(
        tx,
        data.rows.map(({ row }) => ({
          sku: row.sku,
          name: row.name,
          category: row.category,
          brand: row.brand,
          priceCents: row.price_cents,
          costCents: row.cost_cents,
          stockQuantity: row.stock_quantity,
          reorderPoint: row.reorder_point,
          serviceLevel: row.service_level,
          targetDaysOfCover: row.target_days_of_cover,
        })),
      );
      applied = countByKey(data.rows, (row) => row.sku, inserted, "products");
      break;
    }
    case "product_suppliers":
      applied = await applyProductSuppliers(tx, data.rows);
      break;
    case "customers": {
      const inserted = await insertCustomers(
        tx,
        data.rows.map(({ row }) => ({
          code: row.code,
          name: row.name,
          email: row.email,
          country: row.country,
          loyaltyTier: row.loyalty_tier,
          createdAt: shift(row.created_at),
        })),
      );
      applied = countByKey(data.rows, (row) => row.code, inserted, "customers");
      break;
    }
    case "transactions":
      applied = await applyOrders(tx, data.orders, shift, writing);
      break;
    case "mapped": {
      const { products, customers, orders } = data.dataset;
      const newProducts = await insertProducts(
        tx,
        products.map((p) => ({
          ...p,
          costCents: null,
          // A foreign export says nothing about our stock: start empty, the app reorders from there
          stockQuantity: 0,
          ...foreignPlanningDefaults,
        })),
      );
      const newCustomers = await insertCustomers(
        tx,
        customers.map((c) => ({ ...c, email: null, loyaltyTier: "bronze", createdAt: shift(c.createdAt) })),
      );
      applied = await applyOrders(tx, orders, shift, writing);
      applied.created = { products: newProducts.size, customers: newCustomers.size, ...applied.created };
      break;
    }
    case "mapped_products": {
      const inserted = await insertProducts(
        tx,
        data.rows.map(({ row: { kind: _kind, ...product } }) => ({ ...product, ...foreignPlanningDefaults })),
      );
      applied = countByKey(data.rows, (row) => row.sku, inserted, "products");
      break;
    }
  }
  writing(1);
  return applied;
}

function countByKey<T>(
  rows: Lined<T>[],
  key: (row: T) => string,
  inserted: Set<string>,
  table: "suppliers" | "products" | "customers",
): Applied {
  const count = rows.filter(({ row }) => inserted.has(key(row))).length;
  return { inserted: count, skipped: rows.length - count, rejects: [], created: { [table]: count } };
}

async function applyProductSuppliers(
  tx: TransactionSql,
  rows: Lined<ProductSupplierRow>[],
): Promise<Applied> {
  const products = await findIds(tx, "products", "sku", rows.map(({ row }) => row.sku));
  const suppliers = await findIds(tx, "suppliers", "code", rows.map(({ row }) => row.supplier_code));
  const rejects: RejectedRow[] = [];
  const known: { line: number; key: string; insert: Parameters<typeof insertProductSuppliers>[1][number] }[] =
    [];
  for (const { line, row } of rows) {
    const productId = products.get(row.sku);
    const supplierId = suppliers.get(row.supplier_code);
    if (productId === undefined) rejects.push({ line, reason: `Unknown sku "${row.sku}"` });
    else if (supplierId === undefined) {
      rejects.push({ line, reason: `Unknown supplier_code "${row.supplier_code}"` });
    } else {
      known.push({
        line,
        key: `${productId}/${supplierId}`,
        insert: {
          productId,
          supplierId,
          unitCostCents: row.unit_cost_cents,
          leadTimeDays: row.lead_time_days,
          minOrderQty: row.min_order_qty,
          reliability: row.reliability,
        },
      });
    }
  }
  const inserted = await insertProductSuppliers(tx, known.map((k) => k.insert));
  const count = known.filter((k) => inserted.has(k.key)).length;
  return { inserted: count, skipped: known.length - count, rejects, created: { product_suppliers: count } };
}

/** Resolves customers and products of each order; lines naming unknown ones are rejected. */
async function applyOrders(
  tx: TransactionSql,
  orders: Map<string, Order>,
  shift: (date: Date) => Date,
  progress: (fraction: number) => void,
): Promise<Applied> {
  const customerCodes = new Set<string>();
  const skus = new Set<string>();
  for (const order of orders.values()) {
    if (order.customerCode) customerCodes.add(order.customerCode);
    for (const item of order.items) skus.add(item.sku);
  }
  const customers = await findIds(tx, "customers", "code", customerCodes);
  const products = await findIds(tx, "products", "sku", skus);

  const rejects: RejectedRow[] = [];
  const inserts: (TransactionInsert & { lines: number })[] = [];
  for (const order of orders.values()) {
    const customerId = order.customerCode === null ? null : customers.get(order.customerCode);
    if (customerId === undefined) {
      for (const item of order.items) {
        rejects.push({ line: item.line, reason: `Unknown customer_code "${order.customerCode}"` });
      }
      continue;
    }
    const items = [];
    for (const item of order.items) {
      const productId = products.get(item.sku);
      if (productId === undefined) rejects.push({ line: item.line, reason: `Unknown sku "${item.sku}"` });
      else items.push({ productId, quantity: item.quantity, unitPriceCents: item.unitPriceCents });
    }
    if (items.length === 0) continue;
    const original = order.originalCurrency
      ? {
        originalCurrency: order.originalCurrency,
        originalTotalMinor: order.items.reduce(
          (sum, i) => sum + i.quantity * (i.originalUnitPriceMinor ?? 0),
          0,
        ),
      }
      : {};
    inserts.push({
      orderRef: order.orderRef,
      createdAt: shift(order.createdAt),
      customerId,
      status: order.status,
      paymentMethod: order.paymentMethod,
      channel: order.channel,
      ...(order.identity ? { identity: order.identity } : {}),
      ...(order.fraudLabel ? { fraudLabel: order.fraudLabel } : {}),
      ...orderTotals(items),
      ...original,
      items,
      // A line split into a sale and a refund is one line of the file
      lines: order.items.filter((item) => !item.secondary && products.has(item.sku)).length,
    });
  }
  const inserted = await insertTransactions(tx, inserts, (done) => progress(done / inserts.length));
  let insertedLines = 0;
  let skippedLines = 0;
  for (const order of inserts) {
    if (inserted.has(order.orderRef)) insertedLines += order.lines;
    else skippedLines += order.lines;
  }
  return {
    inserted: insertedLines,
    skipped: skippedLines,
    rejects,
    created: { transactions: inserted.size, items: insertedLines },
  };
}

async function summarise(
  file: ParsedFile,
  applied: Applied | null,
  wasApplied: boolean,
  options: ImportOptions,
  dryRun = false,
): Promise<ImportSummary> {
  const rejects = [...file.rejects, ...(applied?.rejects ?? [])].sort((a, b) => a.line - b.line);
  // A dry run reports what it would have written
  const counted = wasApplied || dryRun;
  const summary: ImportSummary = {
    file: file.path,
    kind: file.kind,
    read: file.read,
    inserted: counted ? applied?.inserted ?? 0 : 0,
    skipped: counted ? applied?.skipped ?? 0 : 0,
    rejected: rejects.length,
    rejects,
    applied: wasApplied,
    created: counted ? applied?.created ?? {} : {},
  };
  if (options.rejectsDir !== false) {
    summary.rejectsFile = await writeRejects(file.path, rejects, options.rejectsDir);
  }
  return summary;
}

/** Writes `<file>.rejects.csv` (line,reason); removes a stale one when nothing was rejected. */
async function writeRejects(path: string, rejects: RejectedRow[], dir?: string): Promise<string | undefined> {
  const name = `${basename(path)}.rejects.csv`;
  // A read-only source folder (shared data) is left alone, even for root: the rejects go to the working folder
  const target = join(dir ?? (await isWritableFolder(dirname(path)) ? dirname(path) : "."), name);
  if (rejects.length === 0) {
    await Deno.remove(target).catch(() => {});
    return undefined;
  }
  const text = csvLine(["line", "reason"]) + rejects.map((r) => csvLine([r.line, r.reason])).join("");
  await Deno.writeTextFile(target, text);
  return target;
}

async function isWritableFolder(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.mode === null || (info.mode & 0o222) !== 0;
  } catch {
    return false;
  }
}
