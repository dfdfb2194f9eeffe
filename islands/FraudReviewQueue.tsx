import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice, type NoticeMessage } from "../components/Notice.tsx";
import { Badge, FraudBadge } from "../components/Badge.tsx";
import { countOf, formatCents, formatDateTime } from "../server/shared/format.ts";

/** One queued transaction as the router lists it (Dates intact). */
export type QueueRow = RouterOutputs["fraud"]["queue"]["items"][number];

export interface FraudReviewQueueProps {
  rows: QueueRow[];
  /** unlabeled suspicious transactions in all (the page shows the riskiest) */
  total: number;
  timeZone: string;
}

/**
 * The review queue: each suspicious transaction with the reasons behind its score, label buttons (the row
 * leaves the queue once labeled) and a shortcut to put the customer on the block or allow list.
 */
export default function FraudReviewQueue(props: FraudReviewQueueProps) {
  const [rows, setRows] = useState(props.rows);
  const [total, setTotal] = useState(props.total);
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);

  async function act(row: QueueRow, action: () => Promise<unknown>, done: string, removes: boolean) {
    setBusy(row.id);
    try {
      await action();
      if (removes) {
        setRows((current) => current.filter((r) => r.id !== row.id));
        setTotal((n) => Math.max(0, n - 1));
      }
      setMessage({ kind: "ok", text: done });
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }

  function label(row: QueueRow, verdict: "fraud" | "legit") {
    return act(
      row,
      () => browserClient().transactions.label.mutate({ id: row.id, label: verdict }),
      `${row.orderRef} labeled ${verdict}`,
      true,
    );
  }

  function list(row: QueueRow, which: "allow" | "block") {
    if (row.customerId === null) return;
    const customerId = row.customerId;
    return act(
      row,
      async () => {
        await browserClient().fraud.lists.put.mutate({
          customerId,
          list: which,
          reason: `From the review queue (${row.orderRef})`,
        });
        setRows((current) =>
          current.map((r) => r.customerId === customerId ? { ...r, customerList: which } : r)
        );
      },
      `${row.customerName ?? "Customer"} is on the ${which} list`,
      false,
    );
  }

  return (
    <div class="fraud-queue">
      <Notice message={message} />
      {total > 0 && <p class="muted">{countOf(total, "unlabeled suspicious transaction")}, riskiest first.
      </p>}
      {rows.length === 0 ? <p class="muted">Nothing waits for review.</p> : (
        <div class="table-scroll">
          <table class="data-table" data-testid="fraud-queue">
            <caption class="visually-hidden">Transactions waiting for review</caption>
            <thead>
              <tr>
                <th>Order</th>
                <th>Customer</th>
                <th>Score</th>
                <th>Reasons</th>
                <th class="numeric">Total</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-id={row.id}>
                  <td>
                    <a href={`/transactions/${row.id}`}>{row.orderRef}</a>
                    <span class="muted">{formatDateTime(row.createdAt, props.timeZone)}</span>
                  </td>
                  <td>
                    {row.customerName ?? <span class="muted">Guest</span>}
                    {row.customerList && (
                      <Badge tone={row.customerList === "block" ? "bad" : "good"}>
                        {row.customerList} list
                      </Badge>
                    )}
                  </td>
                  <td>
                    {/* FraudBadge's score prop expects 0..1; ours is 0..100 */}
                    <strong>{row.fraudScore}</strong> <FraudBadge decision={row.fraudDecision} />
                  </td>
                  <td>
                    <ul class="fraud-reasons">
                      {row.fraudReasons.map((reason) => (
                        <li key={reason.code} title={`Rule: ${reason.code}`}>
                          <strong>+{reason.contribution}</strong> {reason.message}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td class="numeric">{formatCents(row.totalCents)}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="danger"
                      disabled={busy !== null}
                      onClick={() => label(row, "fraud")}
                    >
                      Fraud
                    </button>
                    <button type="button" disabled={busy !== null} onClick={() => label(row, "legit")}>
                      Legit
                    </button>
                    {row.customerId !== null && row.customerList !== "block" && (
                      <button
                        type="button"
                        disabled={busy !== null}
                        onClick={() => list(row, "block")}
                      >
                        Block customer
                      </button>
                    )}
                    {row.customerId !== null && row.customerList !== "allow" && (
                      <button
                        type="button"
                        disabled={busy !== null}
                        onClick={() => list(row, "allow")}
                      >
                        Allow customer
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
