import { defineDomain } from "../domain.ts";
import { transactionsRouter } from "./router.ts";

/** Sales: create, refund, cancel, label. */
export const transactionsDomain = defineDomain({
  folder: "transactions",
  routers: { transactions: transactionsRouter },
  events: ["transaction.created", "transaction.updated"],
  exports: ["transactions"],
  pages: [{ path: "/transactions", route: "transactions" }, {
    path: "/transactions/:id{[0-9]+}",
    route: "transactions",
  }],
});
