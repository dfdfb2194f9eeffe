import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { UrgencyBadge } from "../components/Badge.tsx";
import { FormMessage } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import { formatCents, formatCount, formatDate } from "../server/shared/format.ts";

/** A reorder suggestion as the router lists it (Dates intact), with its supplier comparison. */
export type SuggestionCard = RouterOutputs["inventory"]["reorderSuggestions"]["items"][number];

export interface ReorderSuggestionsProps {
  suggestions: SuggestionCard[];
  /** managers approve, reject and snooze; others read */
  canDecide: boolean;
  /** the supplier-choice weights in use, as shares (0.4, 0.35, 0.25) */
  weights: { price: number; reliability: number; delivery: number };
  /** the earliest and latest snooze dates the API accepts (YYYY-MM-DD) */
  snoozeMin: string;
  snoozeMax: string;
  /** how many to show before "Show all" */
  initialCount: number;
}

type Mode = { id: number; action: "approve" | "reject" | "snooze" } | null;

const score = (value: number) => value.toFixed(2);
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Reorder suggestions with their supplier comparison: each criterion's score per supplier, the
 * weighted total and the sentence saying why the winner won; managers approve (a purchase order is
 * created), reject with a reason, or snooze until a date.
 */
export default function ReorderSuggestions(props: ReorderSuggestionsProps) {
  const [cards, setCards] = useState(props.suggestions);
  const [mode, setMode] = useState<Mode>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [shown, setShown] = useState(props.initialCount);

  async function decide(event: Event, card: SuggestionCard) {
    event.preventDefault();
    if (!mode) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const api = browserClient().inventory;
    setBusy(true);
    setMessage(null);
    try {
      let text: string;
      if (mode.action === "approve") {
        const note = String(data.get("note") ?? "").trim();
        // only what the manager changed is sent; the server recomputes cost and explanation
        const quantity = Number(data.get("quantity"));
        const supplierId = Number(data.get("supplierId"));
        const current = card.supplierChoice.suppliers.find((s) => s.name === card.supplierName)?.supplierId;
        const { purchaseOrder } = await api.approveSuggestion.mutate({
          id: card.id,
          note: note || undefined,
          quantity: quantity && quantity !== card.quantity ? quantity : undefined,
          supplierId: supplierId && supplierId !== current ? supplierId : undefined,
        });
        text =
          `Approved ${card.productName}: purchase order #${purchaseOrder.id} to ${purchaseOrder.supplierName} ` +
          `(${formatCents(purchaseOrder.totalCents)}), due ${formatDate(purchaseOrder.expectedAt)}`;
      } else if (mode.action === "reject") {
        await api.rejectSuggestion.mutate({ id: card.id, reason: String(data.get("reason") ?? "") });
        text = `Rejected the suggestion for ${card.productName}`;
      } else {
        const until = new Date(`${String(data.get("until"))}T00:00:00`);
        await api.snoozeSuggestion.mutate({ id: card.id, until });
        text = `Snoozed ${card.productName} until ${formatDate(until)}`;
      }
      setCards((all) => all.filter((c) => c.id !== card.id));
      setMode(null);
      setMessage({ kind: "ok", text });
    } catch (error) {
      setMessage({ kind: "error", text: serverErrorOf(error).message });
    } finally {
      setBusy(false);
    }
  }

  const weights = props.weights;
  return (
    <div class="suggestions" data-testid="reorder-suggestions">
      <div aria-live="polite">
        {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      </div>
      {cards.length === 0 && (
        <div class="state state-empty">
          <p class="state-title">Nothing to decide</p>
          <p>No suggestions in this list. New ones appear when projected stock crosses a reorder point.</p>
        </div>
      )}
      {cards.slice(0, shown).map((card) => {
        const open = mode?.id === card.id ? mode.action : null;
        const headingId = `suggestion-${card.id}-title`;
        return (
          <article
            key={card.id}
            class="suggestion"
            id={`suggestion-${card.id}`}
            aria-labelledby={headingId}
            data-suggestion-id={card.id}
          >
            <div class="suggestion-row">
              <div class="suggestion-product">
                <h3 id={headingId}>
                  <a href={`/inventory?product=${card.productId}#forecast`}>{card.productName}</a>
                </h3>
                <span class="muted">
                  <span class="mono">{card.sku}</span> · stock {card.stockQuantity}, reorder at{" "}
                  {card.reorderPoint}
                </span>
              </div>
              <div>
                <UrgencyBadge urgency={card.urgency} />
              </div>
              <div class="suggestion-order">
                <strong>{formatCount(card.quantity)} units</strong>
                <span class="muted">
                  from {card.supplierName}
                  {card.leadTimeDays !== null && ` · ${card.leadTimeDays} d`}
                </span>
              </div>
              <div class="num">
                <strong>{formatCents(card.estimatedCostCents)}</strong>
                <span class="muted">{formatCents(card.unitCostCents)} each</span>
              </div>
              <div class="num">
                <strong>
                  {card.daysUntilStockout === null ? "—" : `${card.daysUntilStockout.toFixed(1)} d`}
                </strong>
                <span class="muted">until empty</span>
              </div>
              <div class="suggestion-actions">
                {props.canDecide && card.status === "open" && open === null && (
                  <>
                    <button
                      type="button"
                      class="primary small"
                      onClick={() => setMode({ id: card.id, action: "approve" })}
                      aria-describedby={headingId}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      class="small"
                      onClick={() => setMode({ id: card.id, action: "reject" })}
                      aria-describedby={headingId}
                    >
                      Reject
                    </button>
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => setMode({ id: card.id, action: "snooze" })}
                      aria-describedby={headingId}
                    >
                      Snooze
                    </button>
                  </>
                )}
                {card.status !== "open" && (
                  <span class="muted">
                    {card.status}
                    {card.snoozedUntil && ` until ${formatDate(card.snoozedUntil)}`}
                    {card.purchaseOrderId !== null && ` · PO #${card.purchaseOrderId}`}
                    {card.decisionNote && ` · “${card.decisionNote}”`}
                  </span>
                )}
              </div>
            </div>
            {open !== null && (
              <form class="decision-form" onSubmit={(event) => decide(event, card)}>
                {open === "approve" && (
                  <>
                    <div class="field">
                      <label for={`quantity-${card.id}`}>Quantity</label>
                      <input
                        id={`quantity-${card.id}`}
                        name="quantity"
                        type="number"
                        min={1}
                        step={1}
                        defaultValue={card.quantity}
                        required
                      />
                    </div>
                    {card.supplierChoice.suppliers.length > 1 && (
                      <div class="field">
                        <label for={`supplier-${card.id}`}>Supplier</label>
                        <select id={`supplier-${card.id}`} name="supplierId">
                          {card.supplierChoice.suppliers.map((s) => (
                            <option
                              key={s.supplierId}
                              value={s.supplierId}
                              selected={s.name === card.supplierName}
                            >
                              {s.name} · {formatCents(s.unitCostCents)} each · {s.leadTimeDays} days
                              {s.minOrderQty > 1 ? ` · min ${s.minOrderQty}` : ""}
                            </option>
                          ))}
                        </select>
                      </div>
                    )}
                    <div class="field">
                      <label for={`note-${card.id}`}>Note for the purchase order (optional)</label>
                      <input id={`note-${card.id}`} name="note" maxLength={500} autoFocus />
                    </div>
                  </>
                )}
                {open === "reject" && (
                  <div class="field">
                    <label for={`reason-${card.id}`}>Why reject it?</label>
                    <input id={`reason-${card.id}`} name="reason" required maxLength={500} autoFocus />
                  </div>
                )}
                {open === "snooze" && (
                  <div class="field">
                    <label for={`until-${card.id}`}>Snooze until</label>
                    <input
                      id={`until-${card.id}`}
                      name="until"
                      type="date"
                      required
                      min={props.snoozeMin}
                      max={props.snoozeMax}
                      autoFocus
                    />
                  </div>
                )}
                <button type="submit" class={open === "reject" ? "danger small" : "small"} disabled={busy}>
                  {open === "approve"
                    ? "Approve and order"
                    : open === "reject"
                    ? "Reject suggestion"
                    : "Snooze"}
                </button>
                <button type="button" class="secondary small" onClick={() => setMode(null)} disabled={busy}>
                  Cancel
                </button>
              </form>
            )}
            <details class="supplier-comparison">
              <summary>Why this order and this supplier</summary>
              <p>{card.reason}</p>
              <p class="supplier-why">{card.supplierChoice.reason}</p>
              <div class="table-scroll">
                <table class="data-table compact">
                  <caption class="visually-hidden">
                    Suppliers of {card.productName} scored 0 to 1 on each criterion, weighted into a total
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Supplier</th>
                      <th scope="col" class="num">Unit cost</th>
                      <th scope="col" class="num">Lead time</th>
                      <th scope="col" class="num">Price · {percent(weights.price)}</th>
                      <th scope="col" class="num">Reliability · {percent(weights.reliability)}</th>
                      <th scope="col" class="num">Delivery · {percent(weights.delivery)}</th>
                      <th scope="col" class="num">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {card.supplierChoice.suppliers.map((s) => (
                      <tr key={s.supplierId} class={s.rank === 1 ? "winner" : undefined}>
                        <th scope="row">
                          {s.name}
                          {s.rank === 1 && <span class="badge badge-good">chosen</span>}
                          {s.minOrderQty > 1 && <span class="muted">min order {s.minOrderQty}</span>}
                        </th>
                        <td class="num">{formatCents(s.unitCostCents)}</td>
                        <td class="num">{s.leadTimeDays} d</td>
                        <td class="num">{score(s.scores.price)}</td>
                        <td class="num">
                          {score(s.scores.reliability)}
                          {!s.reliabilityKnown && <span class="muted">catalog value</span>}
                        </td>
                        <td class="num">{score(s.scores.delivery)}</td>
                        <td class="num">
                          <strong>{score(s.total)}</strong>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </article>
        );
      })}
      {cards.length > shown && (
        <div class="suggestions-more">
          <button type="button" class="secondary small" onClick={() => setShown(cards.length)}>
            Show all {cards.length} suggestions
          </button>
        </div>
      )}
    </div>
  );
}
