// Test helpers: WebSocket clients that collect messages, and a raw client that can stall.

/** A WebSocket that keeps every JSON message it receives. */
export interface CollectingSocket {
  socket: WebSocket;
  messages: unknown[];
  closed: Promise<CloseEvent>;
  /** Resolves with the first message (already received or to come) matching `predicate`. */
  waitFor<T = unknown>(predicate: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** How long a test socket may take to open before the test fails (generous: CI runs on 2 busy cores). */
const openTimeoutMs = 10_000;

/** Opens a WebSocket (Deno's client may send headers) and collects its messages. */
export async function openCollectingSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<CollectingSocket> {
  // Deno's client takes `{ headers }`; the DOM typings in this project only know protocols
  const socket = new WebSocket(url, { headers } as unknown as string[]);
  const messages: unknown[] = [];
  const waiters = new Set<() => void>();
  socket.onmessage = (event) => {
    messages.push(JSON.parse(event.data));
    for (const waiter of waiters) waiter();
  };
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
  // A server that upgrades and then fails leaves the client with neither open nor error: bounded
  let timer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => {
      socket.close();
      reject(new Error(`Socket ${url} did not open within ${openTimeoutMs} ms`));
    }, openTimeoutMs);
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener(
      "error",
      (event) => reject(new Error(`Socket failed: ${(event as ErrorEvent).message}`)),
      {
        once: true,
      },
    );
  }).finally(() => clearTimeout(timer));
  return {
    socket,
    messages,
    closed,
    waitFor<T>(predicate: (message: T) => boolean, timeoutMs = 5_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = (messages as T[]).find(predicate);
          if (found === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `No matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/** A WebSocket opened by hand over TCP: it reads only when asked, so it can play a stalled client. */
export interface RawSocket {
  status: number;
  /** the response head (status line and headers), or the whole answer when refused */
  head: string;
  /** Reads frames until a close frame arrives; returns its code and reason. */
  readUntilClose(): Promise<{ code: number; reason: string; dataFrames: number }>;
  /** Sends a Close frame (masked, as a client must) and reads nothing more: a close left half done. */
  sendClose(code: number): Promise<void>;
  close(): void;
}

/** Sends a WebSocket handshake to `url` and reads only the response head. */
export async function openRawSocket(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const lines = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  let buffered = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);
  async function fill(): Promise<boolean> {
    const read = await conn.read(chunk);
    if (read === null) return false;
    const joined = new Uint8Array(buffered.length + read);
    joined.set(buffered);
    joined.set(chunk.subarray(0, read), buffered.length);
    buffered = joined;
    return true;
  }
  let headEnd = -1;
  while (headEnd < 0) {
    if (!await fill()) break;
    headEnd = new TextDecoder().decode(buffered).indexOf("\r\n\r\n");
  }
  const text = new TextDecoder().decode(buffered);
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  if (headEnd >= 0) buffered = buffered.slice(new TextEncoder().encode(text.slice(0, headEnd + 4)).length);
  if (status !== 101) {
    // a refusal carries a body: read what is there for the assertion's message
    return {
      status,
      head: text,
      readUntilClose: () => Promise.reject(new Error("Not upgraded")),
      sendClose: () => Promise.reject(new Error("Not upgraded")),
      close: () => conn.close(),
    };
  }
  return {
    status,
    head,
    async readUntilClose() {
      let dataFrames = 0;
      while (true) {
        // server frames are not masked: 2 bytes, then 0, 2 or 8 bytes of length
        while (buffered.length < 2) {
          if (!await fill()) throw new Error("Connection ended without a close frame");
        }
        const opcode = buffered[0] & 0x0f;
        let length = buffered[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          while (buffered.length < 4) if (!await fill()) throw new Error("Truncated frame");
          length = (buffered[2] << 8) | buffered[3];
          offset = 4;
        } else if (length === 127) {
          while (buffered.length < 10) if (!await fill()) throw new Error("Truncated frame");
          length = Number(new DataView(buffered.buffer, buffered.byteOffset + 2, 8).getBigUint64(0));
          offset = 10;
        }
        while (buffered.length < offset + length) if (!await fill()) throw new Error("Truncated frame");
        const payload = buffered.slice(offset, offset + length);
        buffered = buffered.slice(offset + length);
        if (opcode === 0x8) {
          const code = payload.length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
          return { code, reason: new TextDecoder().decode(payload.subarray(2)), dataFrames };
        }
        if (opcode === 0x1 || opcode === 0x2) dataFrames++;
      }
    },
    async sendClose(code) {
      const mask = crypto.getRandomValues(new Uint8Array(4));
      const payload = [code >> 8, code & 0xff].map((byte, index) => byte ^ mask[index % 4]);
      await conn.write(new Uint8Array([0x88, 0x80 | payload.length, ...mask, ...payload]));
    },
    close() {
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

/** Resolves once `condition()` holds; rejects with `message` after `timeoutMs`. */
export async function eventually(
  condition: () => boolean,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${message} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
