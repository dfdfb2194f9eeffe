import type { Context, MiddlewareHandler } from "hono";

/** Largest request body accepted anywhere; bigger ones get 413 before they are parsed. */
export const maxBodyBytes = 1024 * 1024;

/**
 * One limit ahead of every parser: a body larger than `maxBytes` gets 413 (from its Content-Length
 * without reading it, or as soon as the streamed bytes pass the bound) and a body that has not
 * fully arrived within `timeoutMs` gets 408, so neither a huge nor a trickling body can hold memory
 * or a request slot. The parsers downstream read the wrapped stream and fail when it errors; this
 * middleware then answers for them.
 */
export function limitRequestBody(options: { maxBytes: number; timeoutMs: number }): MiddlewareHandler {
  const { maxBytes, timeoutMs } = options;
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = raw.headers.get("content-length");
    if (declared !== null && Number(declared) > maxBytes) return tooLarge(c, maxBytes);
    let failure: "size" | "time" | undefined;
    let received = 0;
    const reader = raw.body.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setTimeout(() => {
          failure ??= "time";
          controller.error(new Error(`Request body not received within ${timeoutMs} ms`));
          reader.cancel().catch(() => {});
        }, timeoutMs);
        Deno.unrefTimer(timer!);
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (failure) return;
          if (done) {
            clearTimeout(timer);
            controller.close();
            return;
          }
          received += value.byteLength;
          if (received > maxBytes) {
            failure = "size";
            clearTimeout(timer);
            controller.error(new Error(`Request body is larger than ${maxBytes} bytes`));
            await reader.cancel().catch(() => {});
            return;
          }
          controller.enqueue(value);
        } catch (error) {
          clearTimeout(timer);
          if (!failure) controller.error(error);
        }
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    });
    // a new request from the parts, not `new Request(raw, ...)`: a copy follows the served request's
    // signal, which Deno creates for it on that read (and in 2.9 warned, once, that it aborts after
    // successful answers, its legacy behaviour); nothing downstream needs it (a client gone mid-body
    // fails the stream)
    c.req.raw = new Request(raw.url, {
      method: raw.method,
      headers: raw.headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    try {
      await next();
    } finally {
      clearTimeout(timer);
    }
    if (!failure) return;
    // A fresh response: the handler's (a parse error) is dropped with its headers
    c.res = undefined;
    c.res = failure === "size" ? tooLarge(c, maxBytes) : c.json({
      error: { code: "TIMEOUT", message: `The request body did not arrive within ${timeoutMs} ms` },
    }, 408);
  };
}

function tooLarge(c: Context, maxBytes: number): Response {
  return c.json(
    { error: { code: "PAYLOAD_TOO_LARGE", message: `Request body is larger than ${maxBytes} bytes` } },
    413,
  );
}
