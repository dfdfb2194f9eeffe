import { useState } from "preact/hooks";
import type { NoticeMessage } from "../components/Notice.tsx";

/** What `useReloadingAction()` gives an island: a busy flag, the last outcome, and the runner. */
export interface ReloadingAction {
  busy: boolean;
  message: NoticeMessage | null;
  /** Runs `action`, then `reload`, and reports `done` or the error; resolves to whether it succeeded. */
  run(action: () => Promise<unknown>, done: string): Promise<boolean>;
}

/**
 * One mutation at a time for an admin list island: while it runs the island's buttons are disabled,
 * and afterwards the list is fetched again (`reload`) so the table shows what the server now holds,
 * not what the island guessed.
 */
export function useReloadingAction(reload: () => Promise<void>): ReloadingAction {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<NoticeMessage | null>(null);

  async function run(action: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true);
    try {
      await action();
      await reload();
      setMessage({ kind: "ok", text: done });
      return true;
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, message, run };
}
