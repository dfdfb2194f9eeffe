/// <reference lib="dom" />
import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { FormMessage, InputField } from "../components/Field.tsx";
import { type FieldErrors, serverErrorOf } from "../components/form_errors.ts";
import { LoadingState } from "../components/States.tsx";
import { currentStoreFormat } from "../server/shared/format.ts";
import {
  describeTerms,
  draftOfTerms,
  parseSupplierTerms,
  type SupplierTermsDraft,
  termsFieldErrors,
} from "./_supplier_terms.ts";

/**
 * "Pack and price breaks…" for one supplier of a product (managers): the pack size the supplier ships
 * in and the unit cost from each quantity on. Read when opened, checked with the API's schema before
 * sending, refusals beside each field in units and the shop's money; saved as one whole set.
 */
export function SupplierTermsForm(props: { productId: number; supplierId: number; supplierName: string }) {
  const [draft, setDraft] = useState<SupplierTermsDraft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = { productId: props.productId, supplierId: props.supplierId };
  const prefix = `terms-${props.supplierId}`;

  async function load(event: Event) {
    if (!(event.currentTarget as HTMLDetailsElement).open || draft) return;
    try {
      setDraft(draftOfTerms(await browserClient().inventory.supplierTerms.query(key)));
    } catch (failure) {
      setMessage({ kind: "error", text: serverErrorOf(failure).message });
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    if (!draft) return;
    const parsed = parseSupplierTerms(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setMessage({ kind: "error", text: "Check the highlighted fields" });
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const saved = await browserClient().inventory.setSupplierTerms.mutate({ ...key, ...parsed.terms });
      setDraft(draftOfTerms(saved));
      setMessage({ kind: "ok", text: `Saved ${props.supplierName}'s terms: ${describeTerms(saved)}` });
    } catch (failure) {
      const server = serverErrorOf(failure);
      const fields = termsFieldErrors(
        Object.entries(server.fields).map(([path, text]) => ({ path, message: text })),
      );
      setErrors(fields);
      setMessage({
        kind: "error",
        text: Object.keys(fields).length ? "Check the highlighted fields" : server.message,
      });
    } finally {
      setBusy(false);
    }
  }

  function setBreak(index: number, field: "minQty" | "unitCost", value: string) {
    if (!draft) return;
    const priceBreaks = draft.priceBreaks.map((b, i) => (i === index ? { ...b, [field]: value } : b));
    setDraft({ ...draft, priceBreaks });
  }

  const symbol = currentStoreFormat().currencySymbol;
  return (
    <details class="supplier-terms" data-testid={`supplier-terms-${props.supplierId}`} onToggle={load}>
      <summary>Pack size and price breaks from {props.supplierName}…</summary>
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      {!draft && !message && <LoadingState label="Loading the terms…" />}
      {draft && (
        <form onSubmit={save} noValidate data-testid={`supplier-terms-form-${props.supplierId}`}>
          <InputField
            label="Pack size (units)"
            name="orderMultiple"
            idPrefix={prefix}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={draft.orderMultiple}
            hint="Orders are rounded up to whole packs; 1 means sold by the unit"
            error={errors.orderMultiple}
            onInput={(event) =>
              setDraft({ ...draft, orderMultiple: (event.currentTarget as HTMLInputElement).value })}
          />
          <fieldset class="price-breaks">
            <legend>Price breaks</legend>
            {draft.priceBreaks.length === 0 && (
              <p class="muted">No price breaks: every quantity costs the supplier's unit cost.</p>
            )}
            {draft.priceBreaks.map((b, index) => (
              <div class="price-break" key={index} data-testid="price-break">
                <InputField
                  label={`From (units)`}
                  name={`priceBreaks.${index}.minQty`}
                  idPrefix={prefix}
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  value={b.minQty}
                  error={errors[`priceBreaks.${index}.minQty`]}
                  onInput={(event) =>
                    setBreak(index, "minQty", (event.currentTarget as HTMLInputElement).value)}
                />
                <InputField
                  label={`Unit cost (${symbol})`}
                  name={`priceBreaks.${index}.unitCost`}
                  idPrefix={prefix}
                  type="number"
                  min={0}
                  step="0.01"
                  inputMode="decimal"
                  value={b.unitCost}
                  error={errors[`priceBreaks.${index}.unitCost`]}
                  onInput={(event) =>
                    setBreak(index, "unitCost", (event.currentTarget as HTMLInputElement).value)}
                />
                <button
                  type="button"
                  class="small secondary"
                  aria-label={`Remove the price break from ${b.minQty || "?"} units`}
                  onClick={() =>
                    setDraft({
                      ...draft,
                      priceBreaks: draft.priceBreaks.filter((_, i) =>
                        i !== index
                      ),
                    })}
                >
                  Remove
                </button>
              </div>
            ))}
            {errors.priceBreaks && <span class="field-error">{errors.priceBreaks}</span>}
            <button
              type="button"
              class="small secondary"
              onClick={() =>
                setDraft({ ...draft, priceBreaks: [...draft.priceBreaks, { minQty: "", unitCost: "" }] })}
            >
              Add a price break
            </button>
          </fieldset>
          <div class="form-actions">
            <button type="submit" disabled={busy}>{busy ? "Saving…" : "Save pack and price breaks"}</button>
          </div>
        </form>
      )}
    </details>
  );
}
