import net from "node:net";
import nodemailer from "nodemailer";
import {
  checkOutboundUrl,
  emptyAllowlist,
  formatIp,
  type OutboundAllowlist,
  OutboundError,
  resolveOutboundAddresses,
} from "../outbound/mod.ts";

export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: string; contentType?: string }[];
}

export interface SmtpSettings {
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://... (TLS from the start) */
  url: string;
  from: string;
  allowlist?: OutboundAllowlist;
  timeoutMs?: number;
}

/**
 * Sends one email with nodemailer over SMTP_URL. The socket is opened by us, to an address the
 * outbound guard checked (the same name, address and allow-list rules as webhooks), and handed to
 * nodemailer through `getSocket`, so a mail host cannot be a way into the internal network.
 * Throws OutboundError (refused, network) or nodemailer's error (SMTP answer).
 */
export async function sendEmail(
  settings: SmtpSettings,
  message: EmailMessage,
): Promise<{ messageId: string }> {
  const smtp = new URL(settings.url);
  const secure = smtp.protocol === "smtps:";
  const port = Number(smtp.port || (secure ? 465 : 587));
  const allowlist = settings.allowlist ?? emptyAllowlist;
  const check = checkOutboundUrl(`http://${smtp.hostname}:${port}/`, allowlist);
  if (!check.ok) throw new OutboundError(check.reason, "refused");
  const timeoutMs = settings.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: smtp.hostname,
    port,
    secure,
    auth: smtp.username
      ? { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    getSocket: (_options, callback) => {
      openCheckedSocket(smtp.hostname, port, allowlist, timeoutMs).then(
        (socket) => callback(null, { connection: socket }),
        (error) => callback(error as Error, false),
      );
    },
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments,
    });
    return { messageId: String(info.messageId) };
  } finally {
    transport.close();
  }
}

/** A connected Node socket to the first address of `hostname` that passed the guard. */
async function openCheckedSocket(
  hostname: string,
  port: number,
  allowlist: OutboundAllowlist,
  timeoutMs: number,
): Promise<net.Socket> {
  const [address] = await resolveOutboundAddresses(hostname, { allowlist });
  return await new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: formatIp(address), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new OutboundError(`Could not connect to ${hostname}:${port} within ${timeoutMs} ms`, "timeout"));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(new OutboundError(`Could not connect to ${hostname}:${port}: ${error.message}`, "network"));
    });
  });
}
