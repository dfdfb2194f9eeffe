import ConnectionStatus from "../islands/ConnectionStatus.tsx";
import LiveRefresh, { type LiveRefreshProps } from "../islands/LiveRefresh.tsx";

/**
 * The live connection indicator and the page's live regions (islands/LiveRefresh.tsx): every page
 * that shows changing data renders this once, so all pages show the same indicator.
 */
export function LiveUpdates(props: LiveRefreshProps) {
  return (
    <div class="live-updates">
      <ConnectionStatus label="Live" />
      <LiveRefresh {...props} />
    </div>
  );
}
