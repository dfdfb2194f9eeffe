import { publishAfterCommit } from "../events/bus.ts";
import type { AccessRevoked, AppEvent } from "../events/app_events.ts";
import type { Services } from "../services.ts";
import type { Caller } from "../trpc/roles.ts";
import { forgetCachedCallers } from "./caller_cache.ts";

/** `access.revoked`: whom a right that ended concerns (the shape is the event map's). */
export type { AccessRevoked };

/**
 * Announces that a right ended; call after the change committed. Never throws (the bus logs).
 * This instance forgets its cached callers at once: the event reaches it back through Redis, and
 * the request right after a sign-out must not ride on the cache until then.
 */
export async function publishAccessRevoked(services: Services, revoked: AccessRevoked) {
  forgetCachedCallers(services);
  await publishAfterCommit(services, { type: "access.revoked", data: revoked });
}

/** The revocation an event carries, or undefined for any other event. */
export function accessRevokedOf(event: AppEvent): AccessRevoked | undefined {
  return event.type === "access.revoked" ? event.data : undefined;
}

/** What a live socket knows about the credential it was opened with. */
export interface SocketCredential {
  caller: Caller;
  /** hash of the session token, for sockets opened with a session cookie */
  sessionIdHash?: string;
}

/** True when `revoked` ends the rights of a socket opened with `credential`. */
export function revocationConcerns(revoked: AccessRevoked, credential: SocketCredential): boolean {
  const { caller } = credential;
  if (revoked.tokenId !== undefined) return caller.via === "token" && caller.tokenId === revoked.tokenId;
  if (revoked.sessionIdHash !== undefined) {
    return caller.via === "session" && credential.sessionIdHash === revoked.sessionIdHash;
  }
  // A user's change reaches their sessions and the tokens they created (capped by their role)
  return revoked.userId !== undefined && revoked.userId > 0 && caller.userId === revoked.userId;
}
