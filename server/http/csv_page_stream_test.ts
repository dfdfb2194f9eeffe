import assert from "node:assert/strict";
import { recordingLogger } from "../testing/recording_logger.ts";
import { csvPageStream } from "./csv_page_stream.ts";

/** Pages the test hands out one at a time: each `next()` waits until the test resolves it. */
function heldPages() {
  const waiting: ((result: IteratorResult<string[]>) => void)[] = [];
  const failing: ((error: Error) => void)[] = [];
  let returned = false;
  const pages: AsyncIterator<string[]> = {
    next: () =>
      new Promise((resolve, reject) => {
        waiting.push(resolve);
        failing.push(reject);
      }),
    return: () => {
      returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    pages,
    /** resolves once the stream asks for the next page */
    async asked(): Promise<void> {
      while (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    },
    give: (result: IteratorResult<string[]>) => waiting.shift()!(result),
    fail: (error: Error) => failing.shift()!(error),
    get returned() {
      return returned;
    },
  };
}

const encodeRows = (rows: string[]) => new TextEncoder().encode(rows.map((row) => `${row}\n`).join(""));

/** A download whose first page is the row "a", then `held`'s pages, logging to `log`. */
function streamOf(held: ReturnType<typeof heldPages>, log: ReturnType<typeof recordingLogger>) {
  return csvPageStream({
    header: "name\n",
    first: { done: false, value: ["a"] },
    pages: held.pages,
    encodeRows,
    log,
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

Deno.test("a CSV download streams the header, the first page, then each next page until the last", async () => {
  const log = recordingLogger();
  const held = heldPages();
  const stream = csvPageStream({
    header: "name\n",
    first: { done: false, value: ["a", "b"] },
    pages: held.pages,
    encodeRows,
    log,
  });
  const text = readAll(stream);
  await held.asked();
  held.give({ done: false, value: ["c"] });
  await held.asked();
  held.give({ done: true, value: undefined });
  assert.equal(await text, "\uFEFFname\na\nb\nc\n");
  assert.deepEqual(log.lines.map((line) => [line.level, line.message, line.fields?.rows]), [[
    "debug",
    "export done",
    3,
  ]]);
});

Deno.test("a client that stops reading while a page is read ends the reads, and it is no error", async () => {
  const log = recordingLogger();
  const held = heldPages();
  const stream = streamOf(held, log);
  const reader = stream.getReader();
  await reader.read(); // the header
  await reader.read(); // the first page
  await held.asked(); // the stream reads the next page ahead
  await reader.cancel(); // the tab closes while that page is read
  held.give({ done: false, value: ["b"] }); // the page arrives after the client went
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(held.returned, "the page reads were ended");
  assert.deepEqual(log.lines.filter((line) => line.level === "error" || line.level === "warn"), []);
  assert.deepEqual(log.lines.map((line) => line.message), ["export stopped by the client"]);
});

Deno.test("a page that fails once the headers are sent breaks the download and is logged as an error", async () => {
  const log = recordingLogger();
  const held = heldPages();
  const stream = streamOf(held, log);
  const text = readAll(stream);
  await held.asked();
  held.fail(new Error("the database went away"));
  await assert.rejects(text, /the database went away/);
  assert.deepEqual(log.lines.map((line) => [line.level, line.message, line.fields?.rows]), [
    ["error", "export failed mid-stream", 1],
  ]);
});
