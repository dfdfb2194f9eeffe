import { parse } from "csv-parse";
import { Readable } from "node:stream";
import { basename } from "node:path";

/** A file that cannot be imported at all (missing, unreadable, wrong header); nothing is applied. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/** One data row: its 1-based line number in the file and its fields by column name. */
export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/** A row the reader itself could not use (bad quoting, wrong number of fields). */
export interface CsvReject {
  line: number;
  reason: string;
  values: string[];
}

export interface ReadCsvOptions {
  /** The header the file must have (any order, no others). */
  columns: readonly string[];
  /** Let the header hold other columns too; every column of the header is then passed on. */
  allowExtraColumns?: boolean;
  onReject(reject: CsvReject): void;
  /** Called now and then with compressed bytes read so far and the file's size. */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

/**
 * Streams a CSV (or gzipped CSV) file row by row, checking its header first.
 * @throws ImportFileError when the file cannot be opened or read, or its header is not `columns`
 */
export async function* readCsvRows(path: string, options: ReadCsvOptions): AsyncGenerator<CsvRow> {
  const name = basename(path);
  const parser = parse({
    info: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
  });
  // Malformed quoting is reported per record instead of ending the import
  parser.on("skip", (error: Error & { lines?: number }) => {
    options.onReject({ line: error.lines ?? 0, reason: `Unreadable CSV: ${error.message}`, values: [] });
  });
  const source = await openText(path, options.onProgress);
  const input = Readable.fromWeb(source as Parameters<typeof Readable.fromWeb>[0]);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let header: string[] | undefined;
  let index: number[] = [];
  let names: readonly string[] = options.columns;
  try {
    for await (
      const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>
    ) {
      // info.lines counts up to the record's end; a quoted field may span several lines
      let line = info.lines;
      for (const value of record) if (value.includes("\n")) line -= value.split("\n").length - 1;
      if (!header) {
        header = record;
        index = checkHeader(name, header, options.columns, options.allowExtraColumns ?? false);
        if (options.allowExtraColumns) {
          names = header;
          index = header.map((_, i) => i);
        }
        continue;
      }
      if (record.length !== header.length) {
        options.onReject({
          line,
          reason: `Has ${record.length} fields where the header has ${header.length}`,
          values: record,
        });
        continue;
      }
      // PostgreSQL text cannot hold NUL: left in, it failed the whole import at the database
      if (record.some((value) => value.includes("\u0000"))) {
        options.onReject({
          line,
          reason: "Contains a NUL character, which text cannot hold",
          values: record,
        });
        continue;
      }
      const fields: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) fields[names[i]] = record[index[i]];
      yield { line, fields };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`Cannot import "${name}": ${describeReadError(error)}`);
  } finally {
    input.destroy();
  }
  if (!header) {
    throw new ImportFileError(
      `Cannot import "${name}": the file is empty; it needs the columns ${options.columns.join(",")}`,
    );
  }
}

/** Reads only the header of a CSV (or .csv.gz) file, to recognise what kind of file it is. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, to_line: 1 });
  const input = Readable.fromWeb((await openText(path)) as Parameters<typeof Readable.fromWeb>[0]);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
    return [];
  } catch (error) {
    throw new ImportFileError(`Cannot import "${basename(path)}": ${describeReadError(error)}`);
  } finally {
    input.destroy();
  }
}

function checkHeader(
  name: string,
  header: string[],
  columns: readonly string[],
  allowExtra: boolean,
): number[] {
  const index = columns.map((column) => header.indexOf(column));
  const extra = allowExtra ? [] : header.filter((column) => !columns.includes(column));
  if (index.includes(-1) || extra.length > 0 || (!allowExtra && header.length !== columns.length)) {
    const missing = columns.filter((_, i) => index[i] === -1);
    const detail = [
      missing.length ? `missing ${missing.map((c) => `"${c}"`).join(", ")}` : "",
      extra.length ? `extra ${extra.map((c) => `"${c}"`).join(", ")}` : "",
    ].filter(Boolean).join("; ");
    throw new ImportFileError(
      `Cannot import "${name}": header is "${header.join(",")}" (${detail || "duplicate columns"}), ` +
        `it needs the columns ${columns.join(",")}`,
    );
  }
  return index;
}

/** A CSV file (gzipped when its name ends in .gz) as a stream of text; a file that cannot be read throws. */
export async function openText(
  path: string,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<ReadableStream<string>> {
  let file: Deno.FsFile;
  let size: number;
  try {
    file = await Deno.open(path, { read: true });
    const stat = await file.stat();
    if (!stat.isFile) {
      file.close();
      throw new Error("not a regular file");
    }
    size = stat.size;
  } catch (error) {
    throw new ImportFileError(`Cannot import "${basename(path)}": ${describeReadError(error)}`);
  }
  let bytesRead = 0;
  let bytes: ReadableStream<Uint8Array<ArrayBuffer>> = file.readable.pipeThrough(
    new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        onProgress?.(bytesRead, size);
        controller.enqueue(chunk);
      },
    }),
  );
  if (path.endsWith(".gz")) bytes = bytes.pipeThrough(new DecompressionStream("gzip"));
  return bytes.pipeThrough(new TextDecoderStream("utf-8", { fatal: true }));
}

function describeReadError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof TypeError && /decod|gzip|compress/i.test(error.message)) {
    return `cannot decode it (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}
