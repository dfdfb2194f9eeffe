import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";

export interface JobRunNowProps {
  job: string;
}

/** The jobs page's "Run now" button: starts the job, then reloads the page to show the run. */
export default function JobRunNow({ job }: JobRunNowProps) {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({
    busy: false,
    message: null,
  });

  async function runNow() {
    setState({ busy: true, message: null });
    try {
      const result = await browserClient().jobs.runNow.mutate({ name: job });
      const message = result.status === "running"
        ? `Started run ${result.runId}`
        : `Not started: ${result.reason.replaceAll("-", " ")}`;
      setState({ busy: false, message });
      if (result.status === "running") setTimeout(() => location.reload(), 1500);
    } catch (failure) {
      setState({ busy: false, message: (failure as Error).message });
    }
  }

  return (
    <span class="job-run-now">
      <button type="button" onClick={runNow} disabled={state.busy} data-testid={`run-${job}`}>
        {state.busy ? "Starting…" : "Run now"}
      </button>
      {state.message && <span class="muted" role="status">{state.message}</span>}
    </span>
  );
}
