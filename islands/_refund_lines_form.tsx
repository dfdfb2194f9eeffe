/// <reference lib="dom" />
import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { FormMessage, InputField, TextAreaField } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import { formatCents, formatCount } from "../server/shared/format.ts";
import { ConfirmButton } from "./_confirm_button.tsx";

/** A product on the sale: units sold, units already refunded, and its unit price. */
export interface RefundableLine {
  productId: number;
  productName: string;
  sold: number;
  refunded: number;
  unitPriceCents: number;
}

/** What `transactions.refundLines` answers: the sale after the refund. */
export type RefundedTransaction = Awaited<
  ReturnType<ReturnType<typeof browserClient>["transactions"]["refundLines"]["mutate"]>
>;

interface ChosenLine {
  productId: number;
  quantity: number;
  restock: boolean;
}

/** The units the form asks to refund: lines with a positive count, restocked unless unticked. */
function chosenLines(form: HTMLFormElement, lines: RefundableLine[]): ChosenLine[] {
  const data = new FormData(form);
  return lines
    .map((line) => ({
      productId: line.productId,
      quantity: Number(data.get(`refund-${line.productId}`) || 0),
      restock: data.get(`restock-${line.productId}`) === "true",
    }))
    .filter((line) => line.quantity > 0);
}

/**
 * Refunds some units of some lines of a completed sale. Each line says how many units and whether they
 * go back to stock (damaged goods do not); the button asks before anything is sent, naming the units.
 */
export function RefundLinesForm(props: {
  transactionId: number;
  orderRef: string;
  lines: RefundableLine[];
  onRefunded: (next: RefundedTransaction) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<ChosenLine[]>([]);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const open = props.lines.filter((line) => line.sold > line.refunded);
  if (open.length === 0) return null;

  const units = chosen.reduce((sum, line) => sum + line.quantity, 0);
  const restocked = chosen.filter((line) => line.restock).reduce((sum, line) => sum + line.quantity, 0);
  const question = `Refund ${formatCount(units)} unit${units === 1 ? "" : "s"} of ${props.orderRef}` +
    ` (${formatCount(restocked)} back to stock)? This cannot be undone.`;

  async function refund(form: HTMLFormElement) {
    setBusy(true);
    setMessage(null);
    try {
      const reason = String(new FormData(form).get("reason") ?? "").trim();
      const next = await browserClient().transactions.refundLines.mutate({
        id: props.transactionId,
        lines: chosenLines(form, props.lines),
        reason,
      });
      const last = next.refunds.at(-1)!;
      const back = last.lines.filter((l) => l.restock).reduce((sum, l) => sum + l.quantity, 0);
      setMessage({
        kind: "ok",
        text: `Refunded ${formatCents(last.amountCents)}; ${formatCount(back)} unit${
          back === 1 ? "" : "s"
        } back in stock`,
      });
      form.reset();
      setChosen([]);
      props.onRefunded(next);
    } catch (failure) {
      setMessage({ kind: "error", text: serverErrorOf(failure).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="drawer-section"
      aria-label="Refund lines"
      data-testid="refund-lines-form"
      onSubmit={(event) => event.preventDefault()}
      onInput={(event) => setChosen(chosenLines(event.currentTarget, props.lines))}
      onChange={(event) => setChosen(chosenLines(event.currentTarget, props.lines))}
    >
      <h3>Refund some units</h3>
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      {open.map((line) => {
        const left = line.sold - line.refunded;
        return (
          <fieldset key={line.productId} class="refund-line">
            <legend>{line.productName}</legend>
            <InputField
              label={`Units to refund (of ${formatCount(left)} left, ${
                formatCents(line.unitPriceCents)
              } each)`}
              name={`refund-${line.productId}`}
              idPrefix="refund"
              type="number"
              min={0}
              max={left}
              step={1}
              defaultValue={0}
              inputMode="numeric"
            />
            {/* uncontrolled (defaultChecked), so a re-render while typing never ticks it again */}
            <label class="field-check" for={`refund-restock-${line.productId}`}>
              <input
                type="checkbox"
                id={`refund-restock-${line.productId}`}
                name={`restock-${line.productId}`}
                value="true"
                defaultChecked
              />
              Back to stock (untick for damaged goods)
            </label>
          </fieldset>
        );
      })}
      <TextAreaField label="Reason" name="reason" idPrefix="refund" rows={2} maxLength={500} />
      <div class="form-actions">
        <ConfirmButton
          label="Refund selected units"
          question={question}
          busyLabel="Refunding…"
          busy={busy}
          disabled={units === 0}
          onConfirm={() =>
            refund(document.querySelector<HTMLFormElement>('[data-testid="refund-lines-form"]')!)}
        />
      </div>
    </form>
  );
}
