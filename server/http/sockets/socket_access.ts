import { TRPCError } from "@trpc/server";
import { accessRevokedOf, revocationConcerns, type SocketCredential } from "../../auth/access_revoked.ts";
import { lookUpCaller } from "../../auth/authenticate.ts";
import { callerCacheMs } from "../../auth/caller_cache.ts";
import { readCookie, sessionCookieNameFor } from "../../auth/cookies.ts";
import type { Caller } from "../../trpc/roles.ts";
import { hashToken } from "../../auth/secret_tokens.ts";
import { chargeCall } from "../rate_limit.ts";
import type { Services } from "../../services.ts";
import type { LiveHub } from "../../live/hub.ts";

/** Close code of a socket whose session or token stopped being valid or changed its rights. */
export const accessEndedCloseCode = 4401;
/** Close code of a frame larger than `maxFrameBytes` (RFC 6455 "message too big"). */
export const frameTooBigCloseCode = 1009;
/** Largest message a client may send on a live socket. */
export const maxFrameBytes = 1024 * 1024;

/** Keeps a live socket's rights current; see `guardSocket`. */
export interface SocketGuard {
  /**
   * Before each message or call: the caller as they are now, charged one call against the rate
   * limit. Throws UNAUTHORIZED (and closes the socket) when the rights ended or changed, and
   * TOO_MANY_REQUESTS over the limit.
   */
  checkCall(): Promise<Caller>;
  /** Closes the socket with 1009 when a client message is over `maxFrameBytes`; true if it did. */
  refuseOversized(bytes: number): boolean;
}

/**
 * Watches the rights of a socket opened by `caller` with the credentials in `headers`: an
 * `access.revoked` naming them closes it at once (on every instance, through the bus), a re-check
 * every few seconds closes it should an event be missed, and every message re-checks before it
 * runs. A socket whose role changed is closed too: the client reconnects with its new rights, and
 * subscriptions it no longer may hold stop.
 */
export function guardSocket(
  services: Services,
  hub: LiveHub,
  socket: WebSocket,
  options: { caller: Caller; headers: Headers; ip: string },
): SocketGuard {
  const { caller, headers, ip } = options;
  const session = caller.via === "session"
    ? readCookie(headers, sessionCookieNameFor(services.config.PUBLIC_URL))
    : undefined;
  const credential: SocketCredential = {
    caller,
    sessionIdHash: session ? hashToken(session) : undefined,
  };
  let ended = false;
  function end(code: number, reason: string) {
    if (ended) return;
    ended = true;
    try {
      socket.close(code, reason);
    } catch {
      // already closing
    }
  }
  const stopListening = hub.listen((event) => {
    const revoked = accessRevokedOf(event);
    if (revoked && revocationConcerns(revoked, credential)) {
      end(accessEndedCloseCode, `Access ended (${revoked.reason}): sign in or reconnect`);
    }
  });
  async function current(): Promise<Caller | null> {
    const now = await lookUpCaller(services, new Headers(headers));
    return now && now.role === caller.role ? now : null;
  }
  const timer = setInterval(() => {
    current().then(
      (now) => now || end(accessEndedCloseCode, "Access ended: sign in or reconnect"),
      (error) => services.log.warn("live socket re-check failed", { error }),
    );
  }, callerCacheMs);
  Deno.unrefTimer(timer as unknown as number);
  socket.addEventListener("close", () => {
    ended = true;
    stopListening();
    clearInterval(timer);
  });
  return {
    async checkCall() {
      const now = ended ? null : await current();
      if (!now) {
        end(accessEndedCloseCode, "Access ended: sign in or reconnect");
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Your sign-in or token is no longer valid" });
      }
      await chargeCall(services, now, ip);
      return now;
    },
    refuseOversized(bytes) {
      if (bytes <= maxFrameBytes) return false;
      end(frameTooBigCloseCode, `Message too big: at most ${maxFrameBytes} bytes`);
      return true;
    },
  };
}
