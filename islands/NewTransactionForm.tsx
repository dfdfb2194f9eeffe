import { useState } from "preact/hooks";
import { paymentMethodLabel } from "../server/shared/payment_labels.ts";
import { browserClient } from "../client/browser.ts";
import { FormMessage, InputField, SelectField } from "../components/Field.tsx";
import { type FieldErrors, fieldErrorsOf, serverErrorOf } from "../components/form_errors.ts";
import { formatCents } from "../server/shared/format.ts";
// The server's own input schema: the form refuses exactly what the API would refuse
import { CHANNELS, createTransactionInput, PAYMENT_METHODS } from "../server/transactions/schemas.ts";

/** A product the form can sell. */
export interface SellableProduct {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
  stockQuantity: number;
}

export interface NewTransactionFormProps {
  products: SellableProduct[];
  /** where "Open" on the confirmation goes: the list with `open=<id>` appended */
  listPath: string;
}

const paymentMethods = PAYMENT_METHODS;

/** The optional identity fields the fraud screen links sales by (the API's names), with their labels. */
const IDENTITY_INPUTS = [
  { name: "email", label: "Email", type: "email", hint: "As given at checkout" },
  { name: "deviceId", label: "Device id", type: "text", hint: "The checkout's device fingerprint" },
  { name: "ipAddress", label: "IP address", type: "text", hint: "IPv4 or IPv6, e.g. 203.0.113.7" },
  { name: "cardBin", label: "Card BIN", type: "text", hint: "First 6-8 digits of the card" },
  { name: "cardLast4", label: "Card last 4", type: "text", hint: "Last 4 digits of the card" },
  { name: "billingCountry", label: "Billing country", type: "text", hint: "Two letters, e.g. GB" },
  { name: "shippingCountry", label: "Shipping country", type: "text", hint: "Two letters, e.g. GB" },
  { name: "userAgent", label: "User agent", type: "text", hint: "The browser's User-Agent" },
] as const;

interface Line {
  key: number;
  productId: string;
  quantity: string;
}

/**
 * Creates a transaction (managers): a customer, one or more product lines, payment and channel.
 * Validated in the browser with the server's zod schema, then sent; a refusal (no stock, unknown
 * customer) shows the server's sentence. The new sale then appears live on every dashboard.
 */
export default function NewTransactionForm(props: NewTransactionFormProps) {
  const [lines, setLines] = useState<Line[]>([{ key: 1, productId: "", quantity: "1" }]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; id?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map(props.products.map((product) => [product.id, product]));

  const total = lines.reduce((sum, line) => {
    const product = byId.get(Number(line.productId));
    return sum + (product ? product.priceCents * (Number(line.quantity) || 0) : 0);
  }, 0);

  function setLine(key: number, change: Partial<Line>) {
    setLines((current) => current.map((line) => line.key === key ? { ...line, ...change } : line));
  }

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      customerId: Number(data.get("customerId")),
      items: lines.map((line) => ({ productId: Number(line.productId), quantity: Number(line.quantity) })),
      paymentMethod: String(data.get("paymentMethod") ?? ""),
      channel: String(data.get("channel") ?? "web"),
      // Blank identity fields are left out: each is optional, and an empty one is "not sent".
      ...Object.fromEntries(
        IDENTITY_INPUTS.map(({ name }) => [name, String(data.get(name) ?? "").trim()])
          .filter(([, value]) => value !== ""),
      ),
    };
    const parsed = createTransactionInput.safeParse(body);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      setMessage({ kind: "error", text: "Check the highlighted fields" });
      return;
    }
    setErrors({});
    setMessage(null);
    setBusy(true);
    try {
      const created = await browserClient().transactions.create.mutate({
        ...body,
        paymentMethod: parsed.data.paymentMethod,
        channel: parsed.data.channel,
        idempotencyKey: crypto.randomUUID(),
      });
      setMessage({
        kind: "ok",
        text: `Created ${created.orderRef}: ${formatCents(created.totalCents)}, ${created.status}` +
          (created.fraudDecision === "allow" ? "" : ` (fraud check: ${created.fraudDecision})`),
        id: created.id,
      });
      setLines([{ key: Date.now(), productId: "", quantity: "1" }]);
      form.reset();
    } catch (failure) {
      const server = serverErrorOf(failure);
      setErrors(server.fields);
      setMessage({ kind: "error", text: server.message });
    } finally {
      setBusy(false);
    }
  }

  const productOptions = props.products.map((product) => ({
    value: String(product.id),
    label: `${product.name} · ${formatCents(product.priceCents)} · ${product.stockQuantity} in stock`,
  }));

  return (
    <form class="new-transaction" onSubmit={submit} noValidate data-testid="new-transaction-form">
      {message && (
        <FormMessage kind={message.kind}>
          {message.text}
          {message.id && (
            <>
              {" "}
              <a href={`${props.listPath}?open=${message.id}`} data-open-transaction={message.id}>Open</a>
            </>
          )}
        </FormMessage>
      )}
      <div class="form-grid">
        <InputField
          label="Customer id"
          name="customerId"
          idPrefix="new"
          type="number"
          min={1}
          inputMode="numeric"
          required
          error={errors.customerId}
          hint="The customer's number, e.g. 42"
        />
        <SelectField
          label="Payment method"
          name="paymentMethod"
          idPrefix="new"
          options={paymentMethods.map((method) => ({ value: method, label: paymentMethodLabel(method) }))}
          value="card"
          error={errors.paymentMethod}
        />
        <SelectField
          label="Channel"
          name="channel"
          idPrefix="new"
          options={CHANNELS.map((channel) => ({ value: channel, label: channel }))}
          value="web"
          error={errors.channel}
        />
      </div>
      <details class="identity-fields" data-testid="identity-fields">
        <summary>Identity and context (optional, for the fraud screen)</summary>
        <div class="form-grid">
          {IDENTITY_INPUTS.map((input) => (
            <InputField
              key={input.name}
              label={input.label}
              name={input.name}
              idPrefix="new"
              type={input.type}
              autoComplete="off"
              error={errors[input.name]}
              hint={input.hint}
            />
          ))}
        </div>
      </details>
      <fieldset class="lines">
        <legend>Items</legend>
        {lines.map((line, index) => (
          <div class="line" key={line.key}>
            <SelectField
              label={`Product ${index + 1}`}
              name={`product-${line.key}`}
              idPrefix="new"
              class="wide"
              options={productOptions}
              emptyLabel="Choose a product"
              value={line.productId}
              onChange={(event) =>
                setLine(line.key, { productId: (event.currentTarget as HTMLSelectElement).value })}
              error={errors[`items.${index}.productId`]}
            />
            <InputField
              label="Quantity"
              name={`quantity-${line.key}`}
              idPrefix="new"
              type="number"
              min={1}
              max={1000}
              value={line.quantity}
              onInput={(event) =>
                setLine(line.key, { quantity: (event.currentTarget as HTMLInputElement).value })}
              error={errors[`items.${index}.quantity`]}
            />
            {lines.length > 1 && (
              <button
                type="button"
                class="secondary small"
                onClick={() => setLines((current) => current.filter((other) => other.key !== line.key))}
                aria-label={`Remove product ${index + 1}`}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        {errors.items && <p class="field-error">{errors.items}</p>}
        <button
          type="button"
          class="secondary small"
          disabled={lines.length >= 50}
          onClick={() =>
            setLines((current) => [...current, { key: Date.now(), productId: "", quantity: "1" }])}
        >
          + Add a product
        </button>
      </fieldset>
      <div class="form-actions">
        <button type="submit" disabled={busy}>{busy ? "Creating…" : "Create transaction"}</button>
        <span class="muted">
          Estimated total {formatCents(total)} (prices and discounts come from the server)
        </span>
      </div>
    </form>
  );
}
