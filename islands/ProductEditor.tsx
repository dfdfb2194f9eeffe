/// <reference lib="dom" />
import { useEffect, useRef, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { Badge } from "../components/Badge.tsx";
import { Drawer } from "../components/Drawer.tsx";
import { CheckField, FormMessage, InputField } from "../components/Field.tsx";
import { type FieldErrors, fieldErrorsOf, serverErrorOf } from "../components/form_errors.ts";
import {
  countOf,
  currentStoreFormat,
  formatAmountInput,
  formatCents,
  formatPercent,
} from "../server/shared/format.ts";
import { LoadingState } from "../components/States.tsx";
import { SupplierTermsForm } from "./_supplier_terms_form.tsx";
// The API's own input schema: the form refuses exactly what the server would refuse
import { maxCents, updateProductInput } from "../server/products/schemas.ts";
import type { ProductEditable } from "../server/products/product_queries.ts";

/** A product as the editor shows it (plain values only, so it can be an island prop). */
export interface EditableProduct extends ProductEditable {
  id: number;
  sku: string;
  suppliers: {
    supplierId: number;
    name: string;
    unitCostCents: number;
    leadTimeDays: number;
    minOrderQty: number;
    reliability: number;
  }[];
}

/** Picks the editor's fields from `products.get`. */
export function toEditableProduct(product: EditableProduct & Record<string, unknown>): EditableProduct {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    brand: product.brand,
    priceCents: product.priceCents,
    costCents: product.costCents,
    stockQuantity: product.stockQuantity,
    reorderPoint: product.reorderPoint,
    serviceLevel: product.serviceLevel,
    targetDaysOfCover: product.targetDaysOfCover,
    isActive: product.isActive,
    suppliers: product.suppliers.map((s) => ({
      supplierId: s.supplierId,
      name: s.name,
      unitCostCents: s.unitCostCents,
      leadTimeDays: s.leadTimeDays,
      minOrderQty: s.minOrderQty,
      reliability: s.reliability,
    })),
  };
}

export interface ProductEditorProps {
  /** the product named by `?edit=` in the URL, rendered on the server */
  initial: EditableProduct | null;
  /** the catalog URL without `edit`, where "Close" goes */
  closeHref: string;
  /** categories for the suggestion list */
  categories: string[];
}

function pounds(cents: number | null): string {
  return cents === null ? "" : formatAmountInput(cents);
}

function toCents(text: string): number | null {
  return text.trim() === "" ? null : Math.round(Number(text) * 100);
}

/** Only the fields that differ from `before`, as `products.update` takes them. */
export function productChanges(before: EditableProduct, form: FormData): Record<string, unknown> {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const next: Record<string, unknown> = {
    name: text("name"),
    category: text("category"),
    brand: text("brand") || null,
    priceCents: toCents(text("price")) ?? NaN,
    costCents: toCents(text("cost")),
    stockQuantity: Number(text("stockQuantity")),
    reorderPoint: text("reorderPoint") === "" ? null : Number(text("reorderPoint")),
    serviceLevel: Number(text("serviceLevel")) / 100,
    targetDaysOfCover: Number(text("targetDaysOfCover")),
    isActive: form.getAll("isActive").includes("true"),
  };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const old = before[key as keyof EditableProduct];
    const same = typeof value === "number" && typeof old === "number"
      ? Math.abs(value - old) < 1e-9
      : value === old;
    if (!same) changes[key] = value;
  }
  return changes;
}

/**
 * The product edit drawer (managers): price, cost, counted stock, reorder settings, active. Opens
 * from `?edit=<id>` or any `a[data-edit-product]`; sends only the changed fields, validated with
 * the API's schema first; the server's message shows on refusal. Under the suppliers, each one's
 * pack size and price breaks can be changed (`SupplierTermsForm`).
 */
export default function ProductEditor(props: ProductEditorProps) {
  const [product, setProduct] = useState(props.initial);
  const [loading, setLoading] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  async function open(id: number, push: boolean) {
    setLoading(true);
    setMessage(null);
    setErrors({});
    setDraft(null);
    if (push) {
      const url = new URL(location.href);
      url.searchParams.set("edit", String(id));
      history.pushState({ edit: id }, "", url.pathname + url.search);
    }
    try {
      setProduct(toEditableProduct(await browserClient().products.get.query({ id })));
    } catch (failure) {
      setMessage({ kind: "error", text: serverErrorOf(failure).message });
    } finally {
      setLoading(false);
    }
  }

  function close() {
    if (changed) {
      location.assign(props.closeHref);
      return;
    }
    setProduct(null);
    setMessage(null);
    if (new URL(location.href).searchParams.has("edit")) history.pushState({}, "", props.closeHref);
    returnFocus.current?.focus();
  }

  useEffect(() => {
    function onClick(event: MouseEvent) {
      const link = (event.target as Element | null)?.closest?.("a[data-edit-product]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      returnFocus.current = link as HTMLElement;
      open(Number(link.getAttribute("data-edit-product")), true);
    }
    function onPopState() {
      const id = Number(new URL(location.href).searchParams.get("edit"));
      if (id > 0) open(id, false);
      else setProduct(null);
    }
    document.addEventListener("click", onClick);
    globalThis.addEventListener("popstate", onPopState);
    return () => {
      document.removeEventListener("click", onClick);
      globalThis.removeEventListener("popstate", onPopState);
    };
  }, []);

  const isOpen = product !== null || loading || (message?.kind === "error" && !product);
  useEffect(() => {
    if (!isOpen) return;
    document.querySelector<HTMLElement>("[data-testid='product-editor']")?.focus();
    function onKey(event: KeyboardEvent) {
      if (event.key === "Escape") close();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [isOpen, changed]);

  async function save(event: Event) {
    event.preventDefault();
    if (!product) return;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const changes = productChanges(product, form);
    if (Object.keys(changes).length === 0) {
      setMessage({ kind: "ok", text: "Nothing changed" });
      return;
    }
    const parsed = updateProductInput.safeParse({ id: product.id, ...changes });
    if (!parsed.success) {
      setErrors(formNames(fieldErrorsOf(parsed.error.issues)));
      setDraft(draftOf(form));
      setMessage({ kind: "error", text: "Check the highlighted fields" });
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const saved = await browserClient().products.update.mutate(parsed.data);
      setProduct(toEditableProduct(saved));
      setDraft(null);
      setChanged(true);
      setMessage({
        kind: "ok",
        text: `Saved ${countOf(Object.keys(changes).length, "change")} to ${saved.name}`,
      });
    } catch (failure) {
      const server = serverErrorOf(failure);
      const fields = formNames(server.fields);
      setErrors(fields);
      setDraft(draftOf(form));
      setMessage({
        kind: "error",
        text: Object.keys(fields).length ? "Check the highlighted fields" : server.message,
      });
    } finally {
      setBusy(false);
    }
  }

  if (!isOpen) return null;
  const typed = (name: string, saved: string) => draft?.[name] ?? saved;
  return (
    <Drawer
      title={product ? `Edit ${product.name}` : "Edit product"}
      closeHref={props.closeHref}
      onClose={close}
      testId="product-editor"
      badges={product && (
        <span class="page-actions">
          <Badge>{product.sku}</Badge>
          {!product.isActive && <Badge tone="warn">inactive</Badge>}
        </span>
      )}
    >
      {loading && <LoadingState label="Loading the product…" />}
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      {product && !loading && (
        <form onSubmit={save} noValidate key={product.id} data-testid="product-form">
          <div class="form-grid">
            <InputField
              label="Name"
              name="name"
              idPrefix="edit"
              value={typed("name", product.name)}
              maxLength={200}
              required
              error={errors.name}
            />
            <InputField
              label="Category"
              name="category"
              idPrefix="edit"
              value={typed("category", product.category)}
              list="edit-categories"
              maxLength={100}
              required
              error={errors.category}
            />
            <InputField
              label="Brand"
              name="brand"
              idPrefix="edit"
              value={typed("brand", product.brand ?? "")}
              maxLength={100}
              error={errors.brand}
            />
            <InputField
              label={`Price (${currentStoreFormat().currencySymbol})`}
              name="price"
              idPrefix="edit"
              type="number"
              min={0.01}
              step="0.01"
              inputMode="decimal"
              value={typed("price", pounds(product.priceCents))}
              required
              error={errors.price}
            />
            <InputField
              label={`Unit cost (${currentStoreFormat().currencySymbol})`}
              name="cost"
              idPrefix="edit"
              type="number"
              min={0}
              step="0.01"
              inputMode="decimal"
              value={typed("cost", pounds(product.costCents))}
              hint={product.costCents && product.priceCents
                ? `Margin ${formatPercent(1 - product.costCents / product.priceCents)}`
                : undefined}
              error={errors.cost}
            />
            <InputField
              label="Stock (counted)"
              name="stockQuantity"
              idPrefix="edit"
              type="number"
              min={0}
              step={1}
              value={typed("stockQuantity", String(product.stockQuantity))}
              hint="Sets the quantity on hand"
              error={errors.stockQuantity}
            />
            <InputField
              label="Reorder point"
              name="reorderPoint"
              idPrefix="edit"
              type="number"
              min={0}
              step={1}
              value={typed("reorderPoint", String(product.reorderPoint ?? ""))}
              hint="Empty: computed from the forecast"
              error={errors.reorderPoint}
            />
            <InputField
              label="Service level (%)"
              name="serviceLevel"
              idPrefix="edit"
              type="number"
              min={50}
              max={99.9}
              step="0.1"
              value={typed("serviceLevel", (product.serviceLevel * 100).toFixed(1))}
              hint="Chance of not running out"
              error={errors.serviceLevel}
            />
            <InputField
              label="Days of cover to order"
              name="targetDaysOfCover"
              idPrefix="edit"
              type="number"
              min={1}
              max={365}
              step={1}
              value={typed("targetDaysOfCover", String(product.targetDaysOfCover))}
              error={errors.targetDaysOfCover}
            />
          </div>
          <datalist id="edit-categories">
            {props.categories.map((category) => <option key={category} value={category} />)}
          </datalist>
          <input type="hidden" name="isActive" value="false" />
          <CheckField
            label="Active (on sale)"
            name="isActive"
            idPrefix="edit"
            checked={draft ? draft.isActive === "true" : product.isActive}
          />
          <div class="form-actions">
            <button type="submit" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
            <a class="button secondary" href={props.closeHref} onClick={(e) => (e.preventDefault(), close())}>
              Cancel
            </a>
          </div>
        </form>
      )}
      {product && !loading && (
        <section aria-labelledby="edit-suppliers-heading">
          <h3 id="edit-suppliers-heading">Suppliers</h3>
          {product.suppliers.length === 0
            ? <p class="muted">No supplier offers this product.</p>
            : (
              <div class="table-scroll">
                <table class="data-table">
                  <caption class="visually-hidden">Suppliers of {product.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Supplier</th>
                      <th scope="col" class="num">Unit cost</th>
                      <th scope="col" class="num">Lead time</th>
                      <th scope="col" class="num">Min order</th>
                      <th scope="col" class="num">On time</th>
                    </tr>
                  </thead>
                  <tbody>
                    {product.suppliers.map((s) => (
                      <tr key={s.supplierId}>
                        <td>{s.name}</td>
                        <td class="num">{formatCents(s.unitCostCents)}</td>
                        <td class="num">{s.leadTimeDays} d</td>
                        <td class="num">{s.minOrderQty}</td>
                        <td class="num">{formatPercent(s.reliability)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          {product.suppliers.map((s) => (
            <SupplierTermsForm
              key={`${product.id}-${s.supplierId}`}
              productId={product.id}
              supplierId={s.supplierId}
              supplierName={s.name}
            />
          ))}
        </section>
      )}
    </Drawer>
  );
}

// The schema names API fields; the form names two of them differently
/**
 * The form's messages: each refused field under its form name, in a plain sentence in the units the
 * user typed (pounds, percent, days), never the schema's own wording or limits in pence.
 */
export function formNames(errors: FieldErrors): FieldErrors {
  const renamed: FieldErrors = {};
  for (const [key, value] of Object.entries(errors)) {
    const name = key === "priceCents" ? "price" : key === "costCents" ? "cost" : key;
    renamed[name] = fieldSentence(name) ?? value;
  }
  return renamed;
}

function fieldSentence(name: string): string | undefined {
  const most = formatCents(maxCents);
  const sentences: Record<string, string> = {
    name: "Name is required, up to 200 characters",
    category: "Category is required, up to 100 characters",
    brand: "Brand can be up to 100 characters",
    price: `Price must be an amount between ${formatCents(1)} and ${most}`,
    cost: `Unit cost must be an amount between ${formatCents(0)} and ${most}, or empty`,
    stockQuantity: "Stock must be a whole number between 0 and 1,000,000",
    reorderPoint: "Reorder point must be a whole number between 0 and 1,000,000, or empty",
    serviceLevel: "Service level must be between 50% and 99.9%",
    targetDaysOfCover: "Days of cover must be a whole number between 1 and 365",
  };
  return sentences[name];
}

/** What the user typed, kept after a refused save so the form shows their values beside the messages. */
function draftOf(form: FormData): Record<string, string> {
  const draft: Record<string, string> = {};
  for (const [key, value] of form) if (key !== "isActive") draft[key] = String(value);
  draft.isActive = String(form.getAll("isActive").includes("true"));
  return draft;
}
