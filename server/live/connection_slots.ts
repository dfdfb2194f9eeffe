/** Counts open sockets per user so one account cannot hold the server's sockets to itself. */
export interface ConnectionSlots {
  /** Takes a slot for `owner`; returns its release function, or null when the owner is at the limit. */
  take(owner: string): (() => void) | null;
  count(owner?: string): number;
}

/** Per-instance slots: at most `limit` open sockets per owner (a user, or an API token). */
export function createConnectionSlots(limit: number): ConnectionSlots {
  const open = new Map<string, number>();
  let total = 0;
  return {
    take(owner) {
      const current = open.get(owner) ?? 0;
      if (current >= limit) return null;
      open.set(owner, current + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (open.get(owner) ?? 1) - 1;
        if (left > 0) open.set(owner, left);
        else open.delete(owner);
      };
    },
    count(owner) {
      return owner === undefined ? total : open.get(owner) ?? 0;
    },
  };
}
