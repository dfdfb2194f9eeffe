import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { Badge, type Tone } from "../components/Badge.tsx";
import { FormMessage } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import { formatCents, formatDate } from "../components/format.ts";

/** A purchase order as the page passes it (dates as ISO strings). */
export interface PurchaseOrderRow {
  id: number;
  supplierName: string;
  status: "ordered" | "received" | "cancelled";
  totalCents: number;
  orderedAt: string;
  expectedAt: string;
  receivedAt: string | null;
  onTime: boolean | null;
  lines: { productId: number; productName: string; sku: string; quantity: number }[];
}

export interface PurchaseOrdersProps {
  orders: PurchaseOrderRow[];
  /** managers record deliveries */
  canReceive: boolean;
  /** "now" on the server, so the server and the browser agree on which orders are late */
  now: string;
}

const statusTones: Record<string, Tone> = { ordered: "info", received: "good", cancelled: "neutral" };

/** Purchase orders, newest first; a manager marks an ordered one received, which adds its stock. */
export default function PurchaseOrders(props: PurchaseOrdersProps) {
  const [orders, setOrders] = useState(props.orders);
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function receive(order: PurchaseOrderRow) {
    setBusy(order.id);
    setMessage(null);
    try {
      const received = await browserClient().purchaseOrders.receive.mutate({ id: order.id });
      setOrders((all) =>
        all.map((o) =>
          o.id === order.id
            ? {
              ...o,
              status: received.status,
              receivedAt: received.receivedAt?.toISOString() ?? null,
              onTime: received.onTime,
            }
            : o
        )
      );
      const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
      setMessage({ kind: "ok", text: `Received PO #${order.id}: ${units} units added to stock` });
    } catch (error) {
      setMessage({ kind: "error", text: serverErrorOf(error).message });
    } finally {
      setBusy(null);
    }
  }

  if (orders.length === 0) {
    return (
      <div class="state state-empty">
        <p class="state-title">No purchase orders</p>
        <p>Approving a reorder suggestion creates one.</p>
      </div>
    );
  }
  const now = Date.parse(props.now);
  return (
    <>
      <div aria-live="polite" class="panel-message">
        {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      </div>
      <div class="table-scroll">
        <table class="data-table" data-testid="purchase-orders">
          <caption class="visually-hidden">Purchase orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Lines</th>
              <th scope="col" class="num">Total</th>
              <th scope="col">Expected</th>
              <th scope="col">Status</th>
              {props.canReceive && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => {
              const late = order.status === "ordered" && Date.parse(order.expectedAt) < now;
              return (
                <tr key={order.id} data-po-id={order.id}>
                  <td>
                    <strong>#{order.id}</strong> {order.supplierName}
                    <span class="muted">ordered {formatDate(order.orderedAt)}</span>
                  </td>
                  <td>
                    {order.lines.slice(0, 2).map((line) => (
                      <span key={line.productId} class="po-line">
                        {line.quantity} × {line.productName}
                      </span>
                    ))}
                    {order.lines.length > 2 && <span class="muted">and {order.lines.length - 2} more</span>}
                  </td>
                  <td class="num">{formatCents(order.totalCents)}</td>
                  <td>
                    {formatDate(order.expectedAt)}
                    {late && <Badge tone="warn">late</Badge>}
                  </td>
                  <td>
                    <Badge tone={statusTones[order.status]}>{order.status}</Badge>
                    {order.receivedAt && (
                      <span class="muted">
                        {formatDate(order.receivedAt)}
                        {order.onTime === false ? " · late" : order.onTime ? " · on time" : ""}
                      </span>
                    )}
                  </td>
                  {props.canReceive && (
                    <td class="num">
                      {order.status === "ordered" && (
                        <button
                          type="button"
                          class="small"
                          disabled={busy !== null}
                          onClick={() => receive(order)}
                        >
                          {busy === order.id ? "Receiving…" : "Mark received"}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
