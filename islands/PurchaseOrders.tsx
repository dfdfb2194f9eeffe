import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { Badge, type Tone } from "../components/Badge.tsx";
import { FormMessage } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import { formatCents, formatCount, formatDate } from "../server/shared/format.ts";
import { ConfirmButton } from "./_confirm_button.tsx";
import { ReceivePartForm } from "./_receive_part_form.tsx";
import type { PurchaseOrderRow } from "./_purchase_order_row.ts";

export type { PurchaseOrderRow };

/** Units still to come on an order (its backorder once partly received). */
export function outstandingUnits(order: PurchaseOrderRow): number {
  return order.lines.reduce((sum, line) => sum + line.quantity - line.receivedQuantity, 0);
}

const statusLabels: Record<PurchaseOrderRow["status"], string> = {
  ordered: "ordered",
  partially_received: "partly received",
  received: "received",
  closed_short: "closed short",
  cancelled: "cancelled",
};

export interface PurchaseOrdersProps {
  orders: PurchaseOrderRow[];
  /** managers record deliveries */
  canReceive: boolean;
  /** "now" on the server, so the server and the browser agree on which orders are late */
  now: Date;
}

const statusTones: Record<string, Tone> = {
  ordered: "info",
  partially_received: "warn",
  received: "good",
  closed_short: "neutral",
  cancelled: "neutral",
};

/** Purchase orders, newest first; a manager marks an ordered one received, which adds its stock. */
export default function PurchaseOrders(props: PurchaseOrdersProps) {
  const [orders, setOrders] = useState(props.orders);
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  /** Runs a delivery or a short close, then shows the order as the server answers it. */
  async function act(
    order: PurchaseOrderRow,
    run: () => Promise<PurchaseOrderRow>,
    done: (next: PurchaseOrderRow) => string,
  ) {
    setBusy(order.id);
    setMessage(null);
    try {
      const next = await run();
      setOrders((all) => all.map((o) => (o.id === order.id ? next : o)));
      setMessage({ kind: "ok", text: done(next) });
    } catch (error) {
      setMessage({ kind: "error", text: serverErrorOf(error).message });
    } finally {
      setBusy(null);
    }
  }

  function receive(order: PurchaseOrderRow, lines?: { productId: number; quantity: number }[]) {
    const before = outstandingUnits(order);
    return act(
      order,
      () => browserClient().purchaseOrders.receive.mutate({ id: order.id, ...(lines ? { lines } : {}) }),
      (next) => {
        const added = before - outstandingUnits(next);
        const rest = outstandingUnits(next);
        return `Received PO #${order.id}: ${formatCount(added)} units added to stock` +
          (rest ? `; ${formatCount(rest)} on backorder` : "");
      },
    );
  }

  function closeShort(order: PurchaseOrderRow) {
    return act(
      order,
      () => browserClient().purchaseOrders.closeShort.mutate({ id: order.id }),
      (next) => `Closed PO #${order.id} short: ${formatCount(outstandingUnits(next))} units will not come`,
    );
  }

  if (orders.length === 0) {
    return (
      <div class="state state-empty">
        <p class="state-title">No purchase orders</p>
        <p>Approving a reorder suggestion creates one.</p>
      </div>
    );
  }
  const now = props.now.getTime();
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
              <th scope="col">Due</th>
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
              const open = order.status === "ordered" || order.status === "partially_received";
              const late = open && order.expectedAt.getTime() < now;
              return (
                <tr key={order.id} data-po-id={order.id}>
                  <td>
                    <strong>#{order.id}</strong> {order.supplierName}
                    <span class="muted">ordered {formatDate(order.orderedAt)}</span>
                  </td>
                  <td>
                    {order.lines.slice(0, 2).map((line) => (
                      <span key={line.productId} class="po-line">
                        {order.status === "partially_received" || order.status === "closed_short"
                          ? `${line.receivedQuantity} of ${line.quantity}`
                          : line.quantity} × {line.productName}
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
                    <Badge tone={statusTones[order.status]}>{statusLabels[order.status]}</Badge>
                    {order.receivedAt && (
                      <span class="muted">
                        {formatDate(order.receivedAt)}
                        {order.onTime === false ? " · late" : order.onTime ? " · on time" : ""}
                      </span>
                    )}
                  </td>
                  {props.canReceive && (
                    <td class="num">
                      {open && (
                        <ConfirmButton
                          label={order.status === "ordered" ? "Mark received" : "Receive the rest"}
                          busyLabel="Receiving…"
                          question={`Add ${
                            formatCount(outstandingUnits(order))
                          } units of PO #${order.id} to stock? This cannot be undone.`}
                          busy={busy === order.id}
                          disabled={busy !== null}
                          onConfirm={() => receive(order)}
                        />
                      )}
                      {open && (
                        <ReceivePartForm
                          order={order}
                          disabled={busy !== null}
                          onReceive={(lines) => receive(order, lines)}
                        />
                      )}
                      {order.status === "partially_received" && (
                        <ConfirmButton
                          label="Close short"
                          question={`Close PO #${order.id} without the ${
                            formatCount(outstandingUnits(order))
                          } units still to come? This cannot be undone.`}
                          disabled={busy !== null}
                          onConfirm={() => closeShort(order)}
                        />
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
