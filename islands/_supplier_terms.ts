/**
 * The supplier terms form's logic, without the DOM: what the manager typed (units and amounts in
 * the shop's currency) to the API's input, checked with the API's own schema, and every refusal
 * worded in the units the manager typed.
 * @module
 */
import type { FieldErrors } from "../components/form_errors.ts";
import {
  type SupplierTermsInput,
  supplierTermsLimits,
  supplierTermsSchema,
} from "../server/inventory/schemas.ts";
import { formatAmountInput, formatCents, formatCount } from "../server/shared/format.ts";

/** The form as typed: text, exactly as in the inputs. */
export interface SupplierTermsDraft {
  orderMultiple: string;
  priceBreaks: { minQty: string; unitCost: string }[];
}

/** The form filled with saved terms. */
export function draftOfTerms(terms: SupplierTermsInput): SupplierTermsDraft {
  return {
    orderMultiple: String(terms.orderMultiple),
    priceBreaks: terms.priceBreaks.map((b) => ({
      minQty: String(b.minQty),
      unitCost: formatAmountInput(b.unitCostCents),
    })),
  };
}

/** A whole number as typed ("1,000" and " 12 " too), or NaN: the schema refuses NaN in its own words. */
function wholeNumber(text: string): number {
  const plain = text.trim().replaceAll(",", "");
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : NaN;
}

/** An amount typed in the shop's currency ("9.50", "£9.50") to cents, or NaN. */
function amountCents(text: string): number {
  const plain = text.trim().replace(/^[^\d-]+/, "").replaceAll(",", "");
  if (!/^-?\d+(\.\d{1,2})?$/.test(plain)) return NaN;
  return Math.round(Number(plain) * 100);
}

/** The sentence for a refused field, in units and the shop's money, never the schema's wording. */
function sentenceFor(path: string): string {
  const { maxPackUnits, maxBreakUnits, maxBreakCostCents, maxBreaks } = supplierTermsLimits;
  if (path === "orderMultiple") {
    return `Pack size must be a whole number of units between 1 and ${formatCount(maxPackUnits)}`;
  }
  if (path.endsWith(".minQty")) {
    return `A price break starts at a whole number of units between 1 and ${formatCount(maxBreakUnits)}`;
  }
  if (path.endsWith(".unitCost")) {
    return `Unit cost must be an amount between ${formatCents(0)} and ${formatCents(maxBreakCostCents)}`;
  }
  return `Each price break needs its own starting quantity, and there can be at most ${maxBreaks}`;
}

/** The form's name for a field the API names (`priceBreaks.0.unitCostCents` is the cost typed in money). */
function formPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".").replace(/unitCostCents$/, "unitCost");
}

/**
 * Per-field sentences for issues from the schema or the server (`data.issues`), keyed by the form's
 * field names: `orderMultiple`, `priceBreaks.N.minQty`, `priceBreaks.N.unitCost`, `priceBreaks`.
 */
export function termsFieldErrors(
  issues: readonly { path: string | readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = typeof issue.path === "string" ? issue.path.split(".") : issue.path;
    // the server's key fields are not on the form; anything else left is about the whole list
    const name = formPath(path);
    const field = /^(orderMultiple|priceBreaks\.\d+\.(minQty|unitCost))$/.test(name) ? name : "priceBreaks";
    errors[field] ??= sentenceFor(field);
  }
  return errors;
}

/** A duplicate starting quantity, named: "Two price breaks start at 200 units". */
function duplicateBreak(terms: SupplierTermsDraft): FieldErrors {
  const seen = new Map<number, number>();
  const errors: FieldErrors = {};
  terms.priceBreaks.forEach((b, index) => {
    const units = wholeNumber(b.minQty);
    if (!Number.isFinite(units)) return;
    if (seen.has(units)) {
      errors[`priceBreaks.${index}.minQty`] = `Two price breaks start at ${formatCount(units)} units: ` +
        "give each its own starting quantity";
    } else seen.set(units, index);
  });
  return errors;
}

/**
 * What the manager typed, as the API's input, or the sentences to show beside each refused field.
 * @example
 * parseSupplierTerms({ orderMultiple: "100", priceBreaks: [{ minQty: "200", unitCost: "9.50" }] })
 * // { ok: true, terms: { orderMultiple: 100, priceBreaks: [{ minQty: 200, unitCostCents: 950 }] } }
 */
export function parseSupplierTerms(
  draft: SupplierTermsDraft,
): { ok: true; terms: SupplierTermsInput } | { ok: false; errors: FieldErrors } {
  const input = {
    orderMultiple: wholeNumber(draft.orderMultiple),
    priceBreaks: draft.priceBreaks.map((b) => ({
      minQty: wholeNumber(b.minQty),
      unitCostCents: amountCents(b.unitCost),
    })),
  };
  const parsed = supplierTermsSchema.safeParse(input);
  const duplicates = duplicateBreak(draft);
  if (parsed.success && Object.keys(duplicates).length === 0) {
    return {
      ok: true,
      terms: {
        ...parsed.data,
        priceBreaks: [...parsed.data.priceBreaks].sort((a, b) => a.minQty - b.minQty),
      },
    };
  }
  const errors = { ...duplicates, ...(parsed.success ? {} : termsFieldErrors(parsed.error.issues)) };
  // the list-wide refusal is about the duplicates already named on their own fields
  if (Object.keys(duplicates).length > 0 && draft.priceBreaks.length <= supplierTermsLimits.maxBreaks) {
    delete errors.priceBreaks;
  }
  return { ok: false, errors };
}

/** The saved terms in a sentence: "Packs of 100; from 200 units £9.50 each, from 500 units £9.00 each". */
export function describeTerms(terms: SupplierTermsInput): string {
  const pack = terms.orderMultiple === 1
    ? "Sold by the unit"
    : `Packs of ${formatCount(terms.orderMultiple)}`;
  if (terms.priceBreaks.length === 0) return `${pack}; no price breaks`;
  const breaks = terms.priceBreaks.map((b) =>
    `from ${formatCount(b.minQty)} units ${formatCents(b.unitCostCents)} each`
  );
  return `${pack}; ${breaks.join(", ")}`;
}
