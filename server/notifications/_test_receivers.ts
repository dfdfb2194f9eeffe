// Real receivers for notification tests: an HTTP listener on 127.0.0.1 and an in-process SMTP server.
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedRequest {
  path: string;
  headers: Headers;
  body: string;
}

/** An HTTP listener on 127.0.0.1 that records every request; `failWith` makes it answer that status. */
export function startHttpReceiver() {
  const received: ReceivedRequest[] = [];
  const state = { failWith: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    received.push({
      path: new URL(request.url).pathname,
      headers: request.headers,
      body: await request.text(),
    });
    return new Response(state.failWith ? "down" : "ok", { status: state.failWith || 200 });
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    state,
    on: (path: string) => received.filter((r) => r.path === path),
    close: () => server.shutdown(),
  };
}

/** An SMTP server on 127.0.0.1 needing user/password auth; every message is parsed with mailparser. */
export async function startSmtpReceiver(user = "mailer", password = "s3cret-pass") {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      callback(new Error("Invalid username or password"));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        callback();
      }, (error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
