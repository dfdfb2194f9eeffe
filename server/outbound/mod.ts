// The outbound guard: every request the server makes to an address someone typed in goes through here.
export {
  checkOutboundUrl,
  emptyAllowlist,
  type OutboundAllowlist,
  type OutboundUrlCheck,
  parseOutboundAllowlist,
} from "./url_check.ts";
export { guardedFetch, type GuardedFetchOptions, OutboundError } from "./guarded_fetch.ts";
export {
  connectGuarded,
  type GuardedConnectOptions,
  resolveHost,
  resolveOutboundAddresses,
} from "./connect.ts";
// SMTP (server/notifications/email.ts) opens its Node socket itself to an address resolveOutboundAddresses checked
export { formatIp } from "./address.ts";
