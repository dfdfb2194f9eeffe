import { join } from "node:path";
import type { Sql, TransactionSql } from "../db/mod.ts";

/** One uploaded file: its name and size. */
export interface UploadedFile {
  name: string;
  sizeBytes: number;
}

/** Chunks are stored this big: small enough for one bytea parameter, big enough to keep rows few. */
export const uploadChunkBytes = 1024 * 1024;

export async function createUpload(sql: Sql, createdBy: number): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into import_uploads (id, created_by) values (${id}, ${createdBy || null})`;
  return id;
}

export async function uploadExists(sql: Sql, id: string): Promise<boolean> {
  return (await sql`select 1 from import_uploads where id = ${id}`).length === 1;
}

/**
 * Streams a file's bytes into the upload, chunk by chunk, replacing a file of the same name.
 * @throws RangeError when the stream is longer than `maxBytes` (what was stored is removed)
 */
export async function storeUploadedFile(
  sql: Sql,
  uploadId: string,
  name: string,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<UploadedFile> {
  await sql`delete from import_upload_chunks where upload_id = ${uploadId} and file_name = ${name}`;
  let seq = 0;
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = new Uint8Array(pendingBytes);
    let offset = 0;
    for (const part of pending) {
      chunk.set(part, offset);
      offset += part.length;
    }
    await sql`
      insert into import_upload_chunks (upload_id, file_name, seq, data)
      values (${uploadId}, ${name}, ${seq++}, ${chunk})`;
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const part of body) {
      size += part.length;
      if (size > maxBytes) {
        throw new RangeError(`The file is larger than ${Math.round(maxBytes / 2 ** 20)} MiB`);
      }
      pending.push(part);
      pendingBytes += part.length;
      if (pendingBytes >= uploadChunkBytes) await flush();
    }
    await flush();
  } catch (error) {
    await sql`delete from import_upload_chunks where upload_id = ${uploadId} and file_name = ${name}`;
    throw error;
  }
  return { name, sizeBytes: size };
}

export function listUploadedFiles(sql: Sql, uploadId: string): Promise<UploadedFile[]> {
  return sql<UploadedFile[]>`
    select file_name as name, sum(length(data))::int8::float8 as "sizeBytes"
    from import_upload_chunks where upload_id = ${uploadId}
    group by file_name order by file_name`;
}

/**
 * Writes the upload's files to a fresh temporary folder, where the importer reads them as it reads files
 * given on the command line. The caller removes the folder.
 */
export async function materializeUpload(
  sql: Sql,
  uploadId: string,
): Promise<{ dir: string; paths: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "techmart-upload-" });
  const paths: string[] = [];
  for (const file of await listUploadedFiles(sql, uploadId)) {
    const path = join(dir, file.name);
    using handle = await Deno.open(path, { write: true, create: true, truncate: true });
    // One chunk at a time: a large file never sits whole in memory
    for (let seq = 0;; seq++) {
      const [row] = await sql<{ data: Uint8Array }[]>`
        select data from import_upload_chunks
        where upload_id = ${uploadId} and file_name = ${file.name} and seq = ${seq}`;
      if (!row) break;
      let written = 0;
      while (written < row.data.length) written += await handle.write(row.data.subarray(written));
    }
    paths.push(path);
  }
  return { dir, paths };
}

export async function deleteUpload(sql: Sql, uploadId: string): Promise<void> {
  await sql`delete from import_uploads where id = ${uploadId}`;
}

/** Uploads nobody finished with are removed after a day. */
export async function deleteStaleUploads(sql: Sql): Promise<number> {
  const rows = await sql`delete from import_uploads where created_at < now() - interval '1 day' returning 1`;
  return rows.length;
}

export interface SavedMapping {
  name: string;
  spec: unknown;
  savedAt: Date;
}

export function listSavedMappings(sql: Sql): Promise<SavedMapping[]> {
  return sql<SavedMapping[]>`select name, spec, saved_at as "savedAt" from import_mappings order by name`;
}

export async function saveMapping(
  sql: TransactionSql,
  name: string,
  spec: unknown,
  savedBy: number,
): Promise<void> {
  await sql`
    insert into import_mappings (name, spec, saved_by) values (${name}, ${sql.json(spec as never)}, ${
    savedBy || null
  })
    on conflict (name) do update set spec = excluded.spec, saved_by = excluded.saved_by, saved_at = now()`;
}
