/**
 * Whether `error`, raised while a handler streamed `request`'s body, means the client went away before
 * sending all of it (a closed tab, a cancelled upload, a dropped network): the request's signal is aborted,
 * or the connection under the body is gone. It is the client's doing, answered and logged as such, not as a
 * failure of ours.
 */
export function bodyAbandoned(request: Request, error: unknown): boolean {
  return request.signal.aborted || error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.UnexpectedEof;
}
