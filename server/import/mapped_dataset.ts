import type { MappedRow } from "./mapping.ts";
import { addOrderLine, type Order } from "./orders.ts";

/** A product as a mapped export describes it: the most frequent name and price win. */
export interface MappedProduct {
  sku: string;
  name: string;
  category: string;
  brand: string | null;
  priceCents: number;
}

export interface MappedCustomer {
  code: string;
  name: string;
  country: string | null;
  /** The customer's first order: the export has no sign-up date. */
  createdAt: Date;
}

/** Everything a mapped file holds, ready to write. */
export interface MappedDataset {
  products: MappedProduct[];
  customers: MappedCustomer[];
  orders: Map<string, Order>;
}

interface ProductTally {
  brand: string | null;
  names: Map<string, number>;
  categories: Map<string, number>;
  prices: Map<number, number>;
  refundPrices: Map<number, number>;
}

interface CustomerTally {
  name: string;
  countries: Map<string | null, number>;
  createdAt: Date;
}

/**
 * Collects mapped rows into products, customers and orders. Exports repeat a product's data on
 * every line and it drifts (renamed items, price changes): the most frequent value is the product's.
 */
export function createMappedDataset() {
  const products = new Map<string, ProductTally>();
  const customers = new Map<string, CustomerTally>();
  const orders = new Map<string, Order>();

  /** Adds one row; returns why it was rejected (it contradicts its order's earlier lines), or null. */
  function add(row: MappedRow, line: number, secondary = false): string | null {
    const reason = addOrderLine(orders, {
      line,
      orderRef: row.orderRef,
      createdAt: row.createdAt,
      customerCode: row.customer?.code ?? null,
      sku: row.product.sku,
      quantity: row.quantity,
      unitPriceCents: row.unitPriceCents,
      paymentMethod: row.paymentMethod,
      channel: row.channel,
      status: row.status,
      originalCurrency: row.original?.currency ?? null,
      originalUnitPriceMinor: row.original?.unitPriceMinor,
      secondary,
      identity: row.identity,
    });
    if (reason) return reason;
    let product = products.get(row.product.sku);
    if (!product) {
      product = {
        brand: row.product.brand,
        names: new Map(),
        categories: new Map(),
        prices: new Map(),
        refundPrices: new Map(),
      };
      products.set(row.product.sku, product);
    }
    count(product.names, row.product.name);
    count(product.categories, row.product.category);
    // Refunds repeat the sale price; counting sales only keeps the price a buyer pays today
    count(row.status === "refunded" ? product.refundPrices : product.prices, row.unitPriceCents);
    if (row.customer) {
      const customer = customers.get(row.customer.code);
      if (!customer) {
        customers.set(row.customer.code, {
          name: row.customer.name,
          countries: new Map([[row.customer.country, 1]]),
          createdAt: row.createdAt,
        });
      } else {
        count(customer.countries, row.customer.country);
        if (row.createdAt < customer.createdAt) customer.createdAt = row.createdAt;
      }
    }
    return null;
  }

  function build(): MappedDataset {
    return {
      products: [...products].map(([sku, tally]) => ({
        sku,
        name: mostFrequent(tally.names)!,
        category: mostFrequent(tally.categories)!,
        brand: tally.brand,
        // A product only ever refunded in this file still needs a price: take the refunded one
        priceCents: mostFrequent(tally.prices) ?? mostFrequent(tally.refundPrices)!,
      })),
      customers: [...customers].map(([code, tally]) => ({
        code,
        name: tally.name,
        country: mostFrequent(tally.countries) ?? null,
        createdAt: tally.createdAt,
      })),
      orders,
    };
  }

  return { add, build };
}

function count<T>(tally: Map<T, number>, value: T) {
  tally.set(value, (tally.get(value) ?? 0) + 1);
}

/** The value seen most often; among equals, the one seen first. */
export function mostFrequent<T>(tally: Map<T, number>): T | undefined {
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, n] of tally) {
    if (n > bestCount) {
      best = value;
      bestCount = n;
    }
  }
  return best;
}
