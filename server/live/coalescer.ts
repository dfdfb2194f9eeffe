/** The timer functions a coalescer uses; tests pass a manual clock. */
export interface Clock {
  now(): number;
  /** returns a handle for clearTimeout, whatever its type */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Passes values on at most once per interval, always ending with the latest one. */
export interface Coalescer<T> {
  push(value: T): void;
  /** Drops a pending value and its timer. */
  close(): void;
}

/**
 * Coalesces a burst: the first value goes out at once, later ones within `intervalMs` of the last
 * emission are merged (the latest wins) and go out when the interval has passed.
 * @example createCoalescer({ intervalMs: 500, emit: send })
 */
export function createCoalescer<T>(
  options: { intervalMs: number; emit: (value: T) => void; clock?: Clock },
): Coalescer<T> {
  const clock = options.clock ?? systemClock;
  let lastEmit = -Infinity;
  let timer: unknown;
  let pending: { value: T } | undefined;
  let closed = false;

  function flush() {
    timer = undefined;
    if (!pending || closed) return;
    const { value } = pending;
    pending = undefined;
    lastEmit = clock.now();
    options.emit(value);
  }

  return {
    push(value) {
      if (closed) return;
      pending = { value };
      if (timer !== undefined) return;
      const wait = lastEmit + options.intervalMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    close() {
      closed = true;
      pending = undefined;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
