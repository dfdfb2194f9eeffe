/// <reference lib="dom" />
import { useState } from "preact/hooks";
import { formatCount } from "../server/shared/format.ts";
import { ConfirmButton } from "./_confirm_button.tsx";
import type { PurchaseOrderRow } from "./_purchase_order_row.ts";

/**
 * "Receive part…": the units that arrived per line (at most what is still to come), then a confirm
 * step naming them. Lines left at 0 are not sent.
 */
export function ReceivePartForm(props: {
  order: PurchaseOrderRow;
  disabled: boolean;
  onReceive: (lines: { productId: number; quantity: number }[]) => void;
}) {
  const [counts, setCounts] = useState<Record<number, number>>({});
  const open = props.order.lines.filter((line) => line.quantity > line.receivedQuantity);
  const lines = open
    .map((line) => ({ productId: line.productId, quantity: counts[line.productId] ?? 0 }))
    .filter((line) => line.quantity > 0);
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  return (
    <details class="receive-part" data-testid={`receive-part-${props.order.id}`}>
      <summary>Receive part…</summary>
      {open.map((line) => {
        const left = line.quantity - line.receivedQuantity;
        const id = `receive-${props.order.id}-${line.productId}`;
        return (
          <div key={line.productId} class="field">
            <label for={id}>{line.productName} (of {formatCount(left)} to come)</label>
            <input
              id={id}
              name={`receive-${line.productId}`}
              type="number"
              min={0}
              max={left}
              step={1}
              inputMode="numeric"
              value={counts[line.productId] ?? 0}
              onInput={(event) =>
                setCounts({ ...counts, [line.productId]: Number(event.currentTarget.value) || 0 })}
            />
          </div>
        );
      })}
      <ConfirmButton
        label="Receive these units"
        question={`Add ${
          formatCount(units)
        } units of PO #${props.order.id} to stock? The rest stays on backorder.`}
        disabled={props.disabled || units === 0}
        onConfirm={() => {
          props.onReceive(lines);
          setCounts({});
        }}
      />
    </details>
  );
}
