/**
 * A CSV download as a stream of pages: the header line and the first page at once, then the next page each
 * time the client has taken the last one (a slow download holds no more than a page).
 */
import type { Logger } from "../log.ts";

/**
 * The download's body. `first` was read before answering (a bad filter is a 400, not a broken file).
 * A page that fails once the headers are sent breaks the download (never a short file that looks whole),
 * logged as an error. A client that stops reading (a closed tab, a cancelled download) ends the page reads;
 * a page that arrives after that is dropped: it is the client's choice, not a failure.
 */
export function csvPageStream<Row>(options: {
  /** the header line; a byte order mark goes before it (Excel then reads UTF-8: accents, "£") */
  header: string;
  first: IteratorResult<Row[]>;
  pages: AsyncIterator<Row[]>;
  encodeRows(rows: Row[]): Uint8Array;
  /** the request's logger, with the table's name */
  log: Logger;
}): ReadableStream<Uint8Array> {
  const { first, pages, encodeRows, log } = options;
  let rowCount = 0;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("\uFEFF" + options.header));
      if (!first.done) {
        rowCount += first.value.length;
        controller.enqueue(encodeRows(first.value));
      } else controller.close();
    },
    async pull(controller) {
      try {
        const next = await pages.next();
        // the client went while the page was read: enqueueing would throw on the cancelled stream
        if (cancelled) return;
        if (next.done) {
          log.debug("export done", { rows: rowCount });
          controller.close();
          return;
        }
        rowCount += next.value.length;
        controller.enqueue(encodeRows(next.value));
      } catch (error) {
        if (cancelled) return;
        // Headers are sent: the only honest signal left is a broken download, never a short file
        log.error("export failed mid-stream", { rows: rowCount, error });
        controller.error(error);
      }
    },
    async cancel() {
      cancelled = true;
      log.debug("export stopped by the client", { rows: rowCount });
      await pages.return?.();
    },
  });
}
