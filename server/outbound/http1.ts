// A minimal HTTP/1.1 exchange over a connection the guard opened itself, so the request goes to
// the address that was checked and nowhere else (fetch() would resolve the name again).

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** What went wrong talking to a receiver; `kind` lets callers decide whether a retry can help. */
export class OutboundError extends Error {
  override name = "OutboundError";
  constructor(
    message: string,
    readonly kind: "refused" | "redirect" | "timeout" | "too_large" | "protocol" | "network",
  ) {
    super(message);
  }
}

/** Reads lines and byte runs from a connection, never holding more than it was allowed. */
class ConnectionReader {
  #buffer = new Uint8Array(0);
  constructor(private readonly conn: Deno.Conn) {}

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(16_384);
    const read = await this.conn.read(chunk);
    if (read === null) return false;
    const next = new Uint8Array(this.#buffer.length + read);
    next.set(this.#buffer);
    next.set(chunk.subarray(0, read), this.#buffer.length);
    this.#buffer = next;
    return true;
  }

  #take(count: number): Uint8Array {
    const taken = this.#buffer.slice(0, count);
    this.#buffer = this.#buffer.slice(count);
    return taken;
  }

  /** One CRLF-terminated line, without the CRLF. */
  async line(maxBytes: number): Promise<string> {
    while (true) {
      const end = this.#buffer.findIndex((byte, i) => byte === 13 && this.#buffer[i + 1] === 10);
      if (end >= 0) {
        const line = decoder.decode(this.#take(end));
        this.#take(2);
        return line;
      }
      if (this.#buffer.length > maxBytes) {
        throw new OutboundError("The receiver sent an oversized header", "protocol");
      }
      if (!await this.#fill()) {
        throw new OutboundError("The receiver closed the connection early", "protocol");
      }
    }
  }

  async exactly(count: number): Promise<Uint8Array> {
    while (this.#buffer.length < count) {
      if (!await this.#fill()) {
        throw new OutboundError("The receiver closed the connection early", "protocol");
      }
    }
    return this.#take(count);
  }

  /** Everything until the receiver closes; too_large past `maxBytes`. */
  async toEnd(maxBytes: number): Promise<Uint8Array> {
    while (await this.#fill()) tooLarge(this.#buffer.length, maxBytes);
    return this.#take(this.#buffer.length);
  }
}

function tooLarge(size: number, maxBytes: number) {
  if (size > maxBytes) {
    throw new OutboundError(`The receiver's answer is larger than ${maxBytes} bytes`, "too_large");
  }
}

/** The request line and headers; `Connection: close` so the answer ends when the receiver closes. */
export function requestHead(
  method: string,
  url: URL,
  headers: Headers,
  bodyLength: number | null,
): Uint8Array {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  headers.delete("host");
  headers.set("connection", "close");
  headers.set("accept-encoding", "identity");
  if (!headers.has("user-agent")) headers.set("user-agent", "TechMart/1");
  if (bodyLength !== null) headers.set("content-length", String(bodyLength));
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return encoder.encode(lines.join("\r\n") + "\r\n\r\n");
}

export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array | null;
}

const maxHeaderBytes = 64 * 1024;

async function readHead(reader: ConnectionReader): Promise<Omit<RawResponse, "body">> {
  const statusLine = await reader.line(maxHeaderBytes);
  const match = /^HTTP\/1\.[01] ([1-5][0-9][0-9])(?: (.*))?$/.exec(statusLine);
  if (!match) throw new OutboundError("The receiver did not answer in HTTP/1.1", "protocol");
  const headers = new Headers();
  let headerBytes = statusLine.length;
  while (true) {
    const line = await reader.line(maxHeaderBytes);
    if (line === "") break;
    headerBytes += line.length;
    if (headerBytes > maxHeaderBytes) {
      throw new OutboundError("The receiver sent an oversized header", "protocol");
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new OutboundError("The receiver sent a malformed header", "protocol");
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new OutboundError("The receiver sent a malformed header", "protocol");
    }
  }
  return { status: Number(match[1]), statusText: match[2] ?? "", headers };
}

async function readChunked(reader: ConnectionReader, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const sizeLine = (await reader.line(1024)).split(";")[0].trim();
    if (!/^[0-9a-f]{1,8}$/i.test(sizeLine)) {
      throw new OutboundError("The receiver sent a malformed chunk", "protocol");
    }
    const length = parseInt(sizeLine, 16);
    if (length === 0) break;
    size += length;
    tooLarge(size, maxBytes);
    parts.push(await reader.exactly(length));
    await reader.exactly(2);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return body;
}

/** Sends one request on `conn` and reads the final answer (skipping 1xx), holding at most `maxBytes` of body. */
export async function exchange(
  conn: Deno.Conn,
  request: { method: string; url: URL; headers: Headers; body: Uint8Array | null },
  maxBytes: number,
): Promise<RawResponse> {
  const head = requestHead(request.method, request.url, request.headers, request.body?.length ?? null);
  await writeAll(conn, head);
  if (request.body) await writeAll(conn, request.body);
  const reader = new ConnectionReader(conn);
  let response = await readHead(reader);
  while (response.status < 200) response = await readHead(reader);
  if (request.method === "HEAD" || response.status === 204 || response.status === 304) {
    return { ...response, body: null };
  }
  if (/chunked/i.test(response.headers.get("transfer-encoding") ?? "")) {
    return { ...response, body: await readChunked(reader, maxBytes) };
  }
  const length = response.headers.get("content-length");
  if (length !== null) {
    if (!/^[0-9]+$/.test(length)) throw new OutboundError("The receiver sent a malformed length", "protocol");
    tooLarge(Number(length), maxBytes);
    return { ...response, body: await reader.exactly(Number(length)) };
  }
  return { ...response, body: await reader.toEnd(maxBytes) };
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array) {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
