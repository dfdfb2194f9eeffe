/**
 * postgres.js 3.4.9 (the latest) can throw from a `setImmediate` after a connection closed under
 * it: `nextWrite` calls `socket.write` on a socket it already set to null (porsager/postgres#1154,
 * #1208; unfixed upstream). Thrown from a timer, nothing can catch it and it ends the process: a
 * PostgreSQL restart under load would take every app instance down with it. The queries of that
 * connection were already rejected (CONNECTION_CLOSED), so this one error is stopped here and
 * logged; any other uncaught error still ends the process.
 */
export function guardPostgresSocketRace(onCaught: (error: Error) => void = () => {}): void {
  if (installed) return;
  installed = true;
  globalThis.addEventListener("error", (event) => {
    if (isPostgresSocketRace(event.error)) {
      event.preventDefault();
      onCaught(event.error);
    }
  });
}

let installed = false;

/** The exact signature of the upstream race, and nothing else. */
export function isPostgresSocketRace(error: unknown): error is Error {
  return error instanceof TypeError &&
    error.message === "Cannot read properties of null (reading 'write')" &&
    /nextWrite/.test(error.stack ?? "") &&
    /[/\\]postgres[/\\@]/.test(error.stack ?? "");
}
