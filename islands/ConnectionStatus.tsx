import { useEffect, useState } from "preact/hooks";
import { liveSocket } from "../client/browser.ts";

/** What the badge shows: live, (re)connecting after a drop, or idle (no live view on the page). */
export type LiveState = "idle" | "connecting" | "live" | "reconnecting";

export interface ConnectionStatusProps {
  /** the label next to the dot while live */
  label: string;
}

const texts: Record<LiveState, string> = {
  idle: "Not live",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

/** The live socket's state as a small badge; the socket reconnects by itself with backoff. */
export default function ConnectionStatus(props: ConnectionStatusProps) {
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    let wasLive = false;
    const subscription = liveSocket().connectionState.subscribe({
      next(value) {
        if (value.state === "pending") {
          wasLive = true;
          setState("live");
        } else if (value.state === "connecting") {
          setState(wasLive || value.error ? "reconnecting" : "connecting");
        } else {
          setState(wasLive ? "idle" : "connecting");
        }
      },
    });
    return () => subscription.unsubscribe();
  }, []);

  return (
    <p class={`live-status live-${state}`} data-state={state} role="status" aria-live="polite">
      <span class="live-dot" aria-hidden="true" />
      {state === "live" ? props.label : texts[state]}
    </p>
  );
}
