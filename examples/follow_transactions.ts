/**
 * Prints today's overview, then each new transaction as it happens, until Ctrl-C.
 *
 *   TECHMART_URL=http://localhost:8000 TECHMART_TOKEN=tm_... deno run -A examples/follow_transactions.ts
 *   (add --suspicious to follow only transactions the fraud check flagged)
 */
import { closeTechMartClient, createTechMartClient, fetchStoreFormat } from "../client/mod.ts";

const url = Deno.env.get("TECHMART_URL") ?? "http://localhost:8000";
const token = Deno.env.get("TECHMART_TOKEN");
if (!token) {
  console.error("Set TECHMART_TOKEN to an API token (an admin creates one on the Admin page)");
  Deno.exit(2);
}

const api = createTechMartClient({ url, token });
// the shop's own currency, locale and time zone, as its pages write them
const format = await fetchStoreFormat(api);
const cents = format.money;
const overview = await api.dashboard.overview.query();
const { today } = overview;
console.log(`TechMart at ${format.dateTime(overview.asOf)}`);
console.log(
  `today: ${cents(today.revenueCents)} from ${today.orders} orders by ${today.customers} customers ` +
    `(average ${cents(today.averageOrderCents)})`,
);
console.log("following new transactions (Ctrl-C to stop)...");

const subscription = api.transactions.onCreated.subscribe({
  suspiciousOnly: Deno.args.includes("--suspicious"),
}, {
  onData({ data }) {
    console.log(`${format.time(data.createdAt)} ${data.orderRef} ${cents(data.totalCents)} ${data.status}`);
  },
  onError(error) {
    console.error(`subscription failed: ${error.message}`);
  },
});

Deno.addSignalListener("SIGINT", async () => {
  subscription.unsubscribe();
  await closeTechMartClient(api);
  Deno.exit(0);
});
