/**
 * Whether `error` is the connection under a request going away while its body was read (a closed tab, a
 * cancelled upload, a dropped network): the client's doing, answered and logged as such, not as a failure of
 * ours. Only the connection's own errors count: a failure of ours that happens after a client left is still
 * ours.
 */
export function bodyAbandoned(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.UnexpectedEof;
}
