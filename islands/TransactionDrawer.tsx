/// <reference lib="dom" />
import { paymentMethodLabel } from "../server/shared/payment_labels.ts";
import { summarizeUserAgent } from "../server/shared/user_agent.ts";
import { billingAndShipping } from "../server/shared/country_names.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { SaleIdentity } from "../server/fraud/model/identity.ts";
import { browserClient } from "../client/browser.ts";
import { Badge, FraudBadge, StatusBadge } from "../components/Badge.tsx";
import { Drawer } from "../components/Drawer.tsx";
import { FormMessage, TextAreaField } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import { countOf, formatCents, formatDateTime } from "../server/shared/format.ts";
import { LoadingState } from "../components/States.tsx";
import { type RefundableLine, RefundLinesForm } from "./_refund_lines_form.tsx";

/** A transaction as the drawer shows it: the fields of `transactions.get` it needs (Dates intact). */
export interface DrawerTransaction {
  id: number;
  orderRef: string;
  status: string;
  customer: { id: number; code: string; name: string; email: string | null; loyaltyTier: string } | null;
  paymentMethod: string;
  channel: string;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  itemCount: number;
  fraudScore: number;
  fraudDecision: string;
  fraudReasons: { code: string; message: string; contribution: number }[];
  fraudLabel: string | null;
  labeledBy: string | null;
  createdAt: Date;
  items: {
    productId: number;
    sku: string;
    productName: string;
    quantity: number;
    unitPriceCents: number;
    lineTotalCents: number;
  }[];
  history: { fromStatus: string; toStatus: string; by: string; reason: string; at: Date }[];
  /**
   * Identity sent with the sale: [label, value] pairs, only those present; a third element is the value as
   * it was sent, where the drawer shows it in short (the browser's User-Agent).
   */
  identity: IdentityFact[];
  /** money given back so far by partial refunds (the whole total once refunded) */
  refundedCents: number;
  /** units of each product earlier refunds gave back */
  refundedUnits: { productId: number; quantity: number }[];
}

// Type-only: erased from the bundle.
type IdentityInput = SaleIdentity;

/** [label, value] or [label, short value, value as sent]. */
export type IdentityFact = [string, string] | [string, string, string];

/** The identity fields of a sale in the drawer's words, those that were sent. */
function identityFacts(d: IdentityInput): IdentityFact[] {
  const card = d.cardBin ? `${d.cardBin}…${d.cardLast4 ?? "????"}` : d.cardLast4 ? `…${d.cardLast4}` : null;
  const countries = billingAndShipping(d.billingCountry ?? null, d.shippingCountry ?? null);
  const facts: [string, string | null | undefined][] = [
    ["Device", d.deviceId],
    ["IP address", d.ipAddress],
    ["Email", d.email],
    ["Card", card],
    ["Countries", countries],
  ];
  const present: IdentityFact[] = facts.filter((fact): fact is [string, string] => Boolean(fact[1]));
  // "Chrome 131 on Windows" in the list, the header as sent on hover (a string this does not know as it is)
  if (d.userAgent) present.push(["Browser", summarizeUserAgent(d.userAgent) ?? d.userAgent, d.userAgent]);
  return present;
}

type DetailInput =
  & Omit<DrawerTransaction, "identity" | "refundedUnits">
  & IdentityInput
  & { refunds: { lines: { productId: number; quantity: number }[] }[] };

/** Picks the drawer's fields from `transactions.get` (explicitly, so nothing else reaches the page). */
export function toDrawerTransaction(detail: DetailInput): DrawerTransaction {
  return {
    id: detail.id,
    orderRef: detail.orderRef,
    status: detail.status,
    customer: detail.customer && {
      id: detail.customer.id,
      code: detail.customer.code,
      name: detail.customer.name,
      email: detail.customer.email,
      loyaltyTier: detail.customer.loyaltyTier,
    },
    paymentMethod: detail.paymentMethod,
    channel: detail.channel,
    subtotalCents: detail.subtotalCents,
    discountCents: detail.discountCents,
    totalCents: detail.totalCents,
    itemCount: detail.itemCount,
    fraudScore: detail.fraudScore,
    fraudDecision: detail.fraudDecision,
    fraudReasons: detail.fraudReasons.map((r) => ({
      code: r.code,
      message: r.message,
      contribution: r.contribution,
    })),
    fraudLabel: detail.fraudLabel,
    labeledBy: detail.labeledBy,
    createdAt: detail.createdAt,
    identity: identityFacts(detail),
    items: detail.items.map((item) => ({
      productId: item.productId,
      sku: item.sku,
      productName: item.productName,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
      lineTotalCents: item.lineTotalCents,
    })),
    history: detail.history.map((h) => ({
      fromStatus: h.fromStatus,
      toStatus: h.toStatus,
      by: h.by,
      reason: h.reason,
      at: h.at,
    })),
    refundedCents: detail.refundedCents,
    refundedUnits: detail.refunds.flatMap((refund) =>
      refund.lines.map((line) => ({ productId: line.productId, quantity: line.quantity }))
    ),
  };
}

/** The sale's products as the refund form offers them: sold, already refunded, unit price. */
function refundableLines(detail: DrawerTransaction): RefundableLine[] {
  const lines = new Map<number, RefundableLine>();
  for (const item of detail.items) {
    const line = lines.get(item.productId) ??
      {
        productId: item.productId,
        productName: item.productName,
        sold: 0,
        refunded: 0,
        unitPriceCents: item.unitPriceCents,
      };
    line.sold += item.quantity;
    lines.set(item.productId, line);
  }
  for (const back of detail.refundedUnits) {
    const line = lines.get(back.productId);
    if (line) line.refunded += back.quantity;
  }
  return [...lines.values()];
}

export interface TransactionDrawerProps {
  /** the transaction named by `?open=` in the URL, rendered on the server */
  initial: DrawerTransaction | null;
  /** the list's URL without `open`, where "Close" goes */
  closeHref: string;
  /** manager or admin: refund and cancel */
  canManage: boolean;
  /** analyst and up: label fraud or legit */
  canLabel: boolean;
  timeZone: string;
}

/**
 * The transaction detail drawer. Without JavaScript it is a page state (`?open=<id>`); with it, a
 * click on any `a[data-open-transaction]` opens it in place (the URL follows, so back closes it),
 * Escape closes it, and refund, cancel and labels run here, showing the server's message on failure.
 */
export default function TransactionDrawer(props: TransactionDrawerProps) {
  const [detail, setDetail] = useState(props.initial);
  const [loading, setLoading] = useState<number | null>(null);
  const [error, setError] = useState("");
  const [changed, setChanged] = useState(false);
  const returnFocus = useRef<HTMLElement | null>(null);

  async function open(id: number, push: boolean) {
    setLoading(id);
    setError("");
    if (push) history.pushState({ open: id }, "", withOpen(id));
    try {
      setDetail(toDrawerTransaction(await browserClient().transactions.get.query({ id })));
    } catch (failure) {
      setError(serverErrorOf(failure).message);
    } finally {
      setLoading(null);
    }
  }

  function close() {
    if (changed) {
      // the list behind shows the old status: reload it, filters and page kept
      location.assign(props.closeHref);
      return;
    }
    setDetail(null);
    setError("");
    if (new URL(location.href).searchParams.has("open") || /\/transactions\/\d+$/.test(location.pathname)) {
      history.pushState({}, "", props.closeHref);
    }
    returnFocus.current?.focus();
  }

  useEffect(() => {
    function onClick(event: MouseEvent) {
      const link = (event.target as Element | null)?.closest?.("a[data-open-transaction]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      returnFocus.current = link as HTMLElement;
      open(Number(link.getAttribute("data-open-transaction")), true);
    }
    function onPopState() {
      const id = Number(new URL(location.href).searchParams.get("open"));
      if (id > 0) open(id, false);
      else {
        setDetail(null);
        setError("");
      }
    }
    document.addEventListener("click", onClick);
    globalThis.addEventListener("popstate", onPopState);
    return () => {
      document.removeEventListener("click", onClick);
      globalThis.removeEventListener("popstate", onPopState);
    };
  }, []);

  const isOpen = detail !== null || loading !== null || error !== "";
  useEffect(() => {
    if (!isOpen) return;
    const drawer = document.querySelector<HTMLElement>("[data-testid='transaction-drawer']");
    drawer?.focus();
    function onKey(event: KeyboardEvent) {
      if (event.key === "Escape") close();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [isOpen, changed]);

  if (!isOpen) return null;
  return (
    <Drawer
      title={detail ? `Transaction ${detail.orderRef}` : "Transaction"}
      closeHref={props.closeHref}
      onClose={close}
      testId="transaction-drawer"
      badges={detail && (
        <span class="page-actions">
          <StatusBadge status={detail.status} />
          <FraudBadge decision={detail.fraudDecision} score={detail.fraudScore} showAllow />
          {detail.fraudLabel && (
            <Badge tone={detail.fraudLabel === "fraud" ? "bad" : "good"}>labeled {detail.fraudLabel}</Badge>
          )}
        </span>
      )}
    >
      {loading !== null && <LoadingState label="Loading the transaction…" />}
      <FormMessage kind="error">{error}</FormMessage>
      {detail && loading === null && (
        <TransactionDetail
          detail={detail}
          canManage={props.canManage}
          canLabel={props.canLabel}
          timeZone={props.timeZone}
          onChange={(next) => {
            setDetail(next);
            setChanged(true);
          }}
        />
      )}
    </Drawer>
  );
}

function withOpen(id: number): string {
  const url = new URL(location.href);
  if (/\/transactions\/\d+$/.test(url.pathname)) url.pathname = "/transactions";
  url.searchParams.set("open", String(id));
  return url.pathname + url.search;
}

function TransactionDetail(
  { detail, canManage, canLabel, timeZone, onChange }: {
    detail: DrawerTransaction;
    canManage: boolean;
    canLabel: boolean;
    timeZone: string;
    onChange: (detail: DrawerTransaction) => void;
  },
) {
  return (
    <>
      <dl class="facts">
        <dt>Created</dt>
        <dd>{formatDateTime(detail.createdAt, timeZone)}</dd>
        <dt>Customer</dt>
        <dd>
          {detail.customer
            ? `${detail.customer.name} (${detail.customer.code}, ${detail.customer.loyaltyTier})`
            : "Guest"}
        </dd>
        <dt>Payment</dt>
        <dd>{paymentMethodLabel(detail.paymentMethod)} · {detail.channel}</dd>
        <dt>Subtotal</dt>
        <dd>{formatCents(detail.subtotalCents)}</dd>
        {detail.discountCents > 0 && (
          <>
            <dt>Discount</dt>
            <dd>−{formatCents(detail.discountCents)}</dd>
          </>
        )}
        <dt>Total</dt>
        <dd>
          <strong>{formatCents(detail.totalCents)}</strong> · {countOf(detail.itemCount, "item")}
        </dd>
        {(detail.identity ?? []).map(([label, value, asSent]) => (
          <>
            <dt>{label}</dt>
            <dd data-testid="drawer-identity" title={asSent}>{value}</dd>
          </>
        ))}
        {detail.refundedCents > 0 && detail.status === "completed" && (
          <>
            <dt>Refunded</dt>
            <dd data-testid="refunded-so-far">{formatCents(detail.refundedCents)} so far</dd>
          </>
        )}
      </dl>

      <h3>Items</h3>
      <div class="table-scroll">
        <table class="data-table" data-testid="drawer-items">
          <caption class="visually-hidden">Items of {detail.orderRef}</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Qty</th>
              <th scope="col" class="num">Unit</th>
              <th scope="col" class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {detail.items.map((item) => (
              <tr key={item.productId}>
                <td>
                  {item.productName}
                  <span class="muted">{item.sku}</span>
                </td>
                <td class="num">{item.quantity}</td>
                <td class="num">{formatCents(item.unitPriceCents)}</td>
                <td class="num">{formatCents(item.lineTotalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>Fraud check</h3>
      <p class="muted">
        Score {Math.round(detail.fraudScore)} / 100 · decision <strong>{detail.fraudDecision}</strong>
        {detail.fraudLabel &&
          ` · labeled ${detail.fraudLabel}${detail.labeledBy ? ` by ${detail.labeledBy}` : ""}`}
      </p>
      {detail.fraudReasons.length === 0
        ? <p class="muted">No rule fired.</p>
        : (
          <ul class="reasons" data-testid="fraud-reasons">
            {detail.fraudReasons.map((reason) => (
              <li key={reason.code}>
                <span>{reason.message}</span>
                <span class="muted">+{Math.round(reason.contribution)}</span>
              </li>
            ))}
          </ul>
        )}

      {detail.history.length > 0 && (
        <>
          <h3>History</h3>
          <ul class="reasons">
            {detail.history.map((change, index) => (
              <li key={index}>
                <span>
                  {change.fromStatus} → {change.toStatus} by {change.by}
                  {change.reason && `: ${change.reason}`}
                </span>
                <span class="muted">{formatDateTime(change.at, timeZone)}</span>
              </li>
            ))}
          </ul>
        </>
      )}

      {canLabel && <LabelForm detail={detail} onChange={onChange} />}
      {canManage && detail.status === "completed" && (
        <RefundLinesForm
          transactionId={detail.id}
          orderRef={detail.orderRef}
          lines={refundableLines(detail)}
          onRefunded={(next) => onChange(toDrawerTransaction(next))}
        />
      )}
      {canManage && <LifecycleForm detail={detail} onChange={onChange} />}
    </>
  );
}

function LabelForm(
  { detail, onChange }: { detail: DrawerTransaction; onChange: (detail: DrawerTransaction) => void },
) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function label(verdict: "fraud" | "legit", event: Event) {
    const form = (event.currentTarget as HTMLButtonElement).form!;
    const note = String(new FormData(form).get("note") ?? "").trim();
    setBusy(true);
    setMessage(null);
    try {
      const next = await browserClient().transactions.label.mutate({
        id: detail.id,
        label: verdict,
        ...(note ? { note } : {}),
      });
      onChange(toDrawerTransaction(next));
      setMessage({ kind: "ok", text: `Labeled ${verdict}` });
    } catch (failure) {
      setMessage({ kind: "error", text: serverErrorOf(failure).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="drawer-section"
      onSubmit={(event) => event.preventDefault()}
      aria-label="Label the transaction"
    >
      <h3>Analyst label</h3>
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      <TextAreaField label="Note (optional)" name="note" idPrefix="label" rows={2} maxLength={500} />
      <div class="form-actions">
        <button type="button" class="danger" disabled={busy} onClick={(event) => label("fraud", event)}>
          Label fraud
        </button>
        <button type="button" disabled={busy} onClick={(event) => label("legit", event)}>Label legit</button>
      </div>
    </form>
  );
}

function LifecycleForm(
  { detail, onChange }: { detail: DrawerTransaction; onChange: (detail: DrawerTransaction) => void },
) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const canRefund = detail.status === "completed";
  const canCancel = detail.status === "pending" || detail.status === "completed";
  if (!canRefund && !canCancel && !message) return null;

  async function run(action: "refund" | "cancel", event: Event) {
    const form = (event.currentTarget as HTMLButtonElement).form!;
    const reason = String(new FormData(form).get("reason") ?? "").trim();
    if (
      !confirm(`${action === "refund" ? "Refund" : "Cancel"} ${detail.orderRef}? The items go back in stock.`)
    ) {
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const next = await browserClient().transactions[action].mutate({ id: detail.id, reason });
      onChange(toDrawerTransaction(next));
      setMessage({
        kind: "ok",
        text: action === "refund"
          ? "Refunded; the items are back in stock"
          : "Cancelled; the items are back in stock",
      });
    } catch (failure) {
      setMessage({ kind: "error", text: serverErrorOf(failure).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="drawer-section"
      onSubmit={(event) => event.preventDefault()}
      aria-label="Refund or cancel"
    >
      <h3>Refund or cancel</h3>
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      {(canRefund || canCancel) && (
        <>
          <TextAreaField label="Reason" name="reason" idPrefix="lifecycle" rows={2} maxLength={500} />
          <div class="form-actions">
            {canRefund && (
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={(event) => run("refund", event)}
              >
                Refund {formatCents(detail.totalCents - detail.refundedCents)}
              </button>
            )}
            {canCancel && (
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={(event) => run("cancel", event)}
              >
                Cancel transaction
              </button>
            )}
          </div>
        </>
      )}
    </form>
  );
}
