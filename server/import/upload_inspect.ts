import { parse } from "csv-parse/sync";
import type { Sql } from "../db/mod.ts";
import { isNativeHeader, nativeKinds } from "./native_formats.ts";

/** What the browser shows of an uploaded file before any mapping is chosen. */
export interface FilePreview {
  name: string;
  sizeBytes: number;
  columns: string[];
  /** The first rows, as the file has them. */
  sample: string[][];
  /** Our own file kind (products, transactions, ...), when its name or header says so. */
  nativeKind: string | null;
}

/** Reads the start of each uploaded file (the first stored chunk only) for its header and a few rows. */
export async function previewUpload(
  sql: Sql,
  uploadId: string,
  files: { name: string; sizeBytes: number }[],
): Promise<FilePreview[]> {
  const previews: FilePreview[] = [];
  for (const file of files) {
    const [first] = await sql<{ data: Uint8Array }[]>`
      select data from import_upload_chunks where upload_id = ${uploadId} and file_name = ${file.name} and seq = 0`;
    const text = first ? await leadingText(first.data, /\.gz$/i.test(file.name)) : "";
    // The chunk may end mid-row: keep whole lines only
    const whole = text.slice(0, Math.max(text.lastIndexOf("\n"), 0));
    let rows: string[][] = [];
    try {
      rows = parse(whole || text, { bom: true, relax_column_count: true, skip_empty_lines: true, to: 6 });
    } catch {
      rows = [];
    }
    const [columns = [], ...sample] = rows;
    const base = file.name.replace(/\.gz$/i, "").replace(/\.csv$/i, "");
    const nativeKind = nativeKinds.find((kind) => kind === base) ??
      nativeKinds.find((kind) => isNativeHeader(kind, columns)) ?? null;
    previews.push({ name: file.name, sizeBytes: file.sizeBytes, columns, sample, nativeKind });
  }
  return previews;
}

/** The text at the start of a file; for gzip, as much as the first chunk decompresses to. */
async function leadingText(bytes: Uint8Array, gzipped: boolean): Promise<string> {
  if (!gzipped) return new TextDecoder().decode(bytes.subarray(0, 256 * 1024));
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const part of stream) {
      text += decoder.decode(part, { stream: true });
      if (text.length > 256 * 1024) break;
    }
  } catch {
    // The chunk ends inside the compressed stream: what came out before that is the preview
  }
  return text;
}
