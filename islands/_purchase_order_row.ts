// The row type alone, so the purchase-orders island and its receive form need not import each other.
import type { RouterOutputs } from "../client/mod.ts";

/** A purchase order as the router lists it (Dates intact: island props travel as superjson). */
export type PurchaseOrderRow = RouterOutputs["purchaseOrders"]["list"]["items"][number];
