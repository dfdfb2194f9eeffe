import type { Hono } from "hono";
import { jsonError, requireCaller } from "./caller.ts";
import type { Services } from "../services.ts";
import { createUpload, storeUploadedFile, uploadExists } from "../import/upload_queries.ts";

/** Where the browser sends import files: one request per file, the file's bytes as the body. */
export const uploadPathPrefix = "/api/v1/imports/uploads";

/** The largest file one upload takes (checked while streaming, before anything is parsed). */
export const maxUploadBytes = 256 * 1024 * 1024;

const fileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

/**
 * `POST /api/v1/imports/uploads` starts an upload; `PUT /api/v1/imports/uploads/{id}/files/{name}`
 * streams one file into it (kept in the database, so any instance can run the import). Admins only.
 */
export function mountImportUploads(app: Hono, services: Services): void {
  app.post(uploadPathPrefix, async (c) => {
    const caller = await requireCaller(c, services, "admin");
    if (caller instanceof Response) return caller;
    return c.json({ uploadId: await createUpload(services.db.sql, caller.userId) }, 201);
  });

  app.put(`${uploadPathPrefix}/:id/files/:name`, async (c) => {
    const caller = await requireCaller(c, services, "admin");
    if (caller instanceof Response) return caller;
    const id = c.req.param("id");
    const name = c.req.param("name");
    if (!/^[0-9a-f-]{36}$/.test(id) || !await uploadExists(services.db.sql, id)) {
      return jsonError(c, 404, "NOT_FOUND", "No such upload: start one with POST " + uploadPathPrefix);
    }
    if (!fileNamePattern.test(name) || !/\.csv(\.gz)?$/i.test(name)) {
      return jsonError(
        c,
        400,
        "BAD_REQUEST",
        `"${name}" is not a file name to import: use letters, digits, . _ - and .csv or .csv.gz`,
      );
    }
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > maxUploadBytes) {
      return jsonError(
        c,
        413,
        "PAYLOAD_TOO_LARGE",
        `The file is larger than ${maxUploadBytes / 2 ** 20} MiB`,
      );
    }
    if (!c.req.raw.body) return jsonError(c, 400, "BAD_REQUEST", "The request has no file in its body");
    try {
      const stored = await storeUploadedFile(services.db.sql, id, name, c.req.raw.body, maxUploadBytes);
      return c.json(stored, 201);
    } catch (error) {
      if (error instanceof RangeError) return jsonError(c, 413, "PAYLOAD_TOO_LARGE", error.message);
      // a body the client gave up on is answered by app.onError (nothing of it was kept: storeUploadedFile
      // drops a file's chunks when its body fails)
      throw error;
    }
  });
}
