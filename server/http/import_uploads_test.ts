import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { recordingLogger } from "../testing/recording_logger.ts";
import { startTestApp } from "../testing/test_app.ts";
import { until } from "../testing/events.ts";
import { uploadPathPrefix } from "./import_uploads.ts";

Deno.test("an upload stores a whole file; one the client abandons mid-body is its doing: a 400 path, no error, nothing kept", async () => {
  const log = recordingLogger();
  const app = await startTestApp({ log });
  try {
    const { sql } = app.services.db;
    const { token } = await insertApiToken(sql, { name: "uploads", role: "admin", createdBy: 0 });
    const authorization = `Bearer ${token}`;
    const started = await app.fetch(uploadPathPrefix, { method: "POST", headers: { authorization } });
    assert.equal(started.status, 201);
    const { uploadId } = await started.json();

    const whole = await app.fetch(`${uploadPathPrefix}/${uploadId}/files/whole.csv`, {
      method: "PUT",
      headers: { authorization, "content-type": "text/csv" },
      body: "a,b\n1,2\n",
    });
    assert.equal(whole.status, 201, await whole.clone().text());
    assert.deepEqual(await whole.json(), { name: "whole.csv", sizeBytes: 8 });

    // headers promising 8 MiB, 1 MiB of it, then the connection dropped (a closed tab, a lost network)
    const url = new URL(app.url);
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    const head = [
      `PUT ${uploadPathPrefix}/${uploadId}/files/cut.csv HTTP/1.1`,
      `Host: ${url.host}`,
      `Authorization: ${authorization}`,
      "Content-Type: text/csv",
      `Content-Length: ${8 * 2 ** 20}`,
    ].join("\r\n") + "\r\n\r\n";
    await conn.write(new TextEncoder().encode(head));
    const part = new TextEncoder().encode("a,b\n".repeat(2 ** 18));
    for (let written = 0; written < part.length;) written += await conn.write(part.subarray(written));
    conn.close();

    await until(
      () => log.lines.some((line) => line.message === "request body abandoned by the client"),
      "the server saw it",
    );
    assert.deepEqual(log.lines.filter((line) => line.level === "error" || line.level === "warn"), []);
    const files = await sql<{ file_name: string }[]>`
      select distinct file_name from import_upload_chunks where upload_id = ${uploadId} order by 1`;
    assert.deepEqual(files.map((f) => f.file_name), ["whole.csv"]);
  } finally {
    await app.stop();
  }
});
