import { useEffect, useState } from "preact/hooks";
import type { NoticeMessage } from "../components/Notice.tsx";

/** How long a fresh notice holds its live region still (islands/LiveRefresh.tsx waits meanwhile). */
const noticeHoldMs = 4_000;

/**
 * True for a few seconds after `message` changes to a notice: while it is, the island holds its live
 * region (`data-live-hold`), so a live refresh does not redraw the notice away before it is read.
 */
export function useFresh(message: unknown): boolean {
  const [fresh, setFresh] = useState(false);
  useEffect(() => {
    if (message === null || message === undefined) return;
    setFresh(true);
    const timer = setTimeout(() => setFresh(false), noticeHoldMs);
    return () => clearTimeout(timer);
  }, [message]);
  return fresh;
}

/**
 * One action at a time for a list island that updates its own rows: `run(action)` disables the
 * buttons while it runs and shows the text the action resolves to, or its error. `holding` is true
 * while an action runs and for a few seconds after its notice appears: the island puts it on its
 * root as `data-live-hold`, so a live refresh of the page does not redraw the notice away.
 */
export function useNoticeAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const fresh = useFresh(message);
  async function run(action: () => Promise<string>): Promise<boolean> {
    setBusy(true);
    try {
      setMessage({ kind: "ok", text: await action() });
      return true;
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, message, run, holding: busy || fresh };
}
