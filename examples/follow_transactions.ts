/**
 * Prints today's overview, then each new transaction as it happens, until Ctrl-C.
 *
 *   TECHMART_URL=http://localhost:8000 TECHMART_TOKEN=tm_... deno run -A examples/follow_transactions.ts
 *   (add --suspicious to follow only transactions the fraud check flagged)
 */
import { closeTechMartClient, createTechMartClient } from "../client/mod.ts";

const url = Deno.env.get("TECHMART_URL") ?? "http://localhost:8000";
const token = Deno.env.get("TECHMART_TOKEN");
if (!token) {
  console.error("Set TECHMART_TOKEN to an API token (an admin creates one on the Admin page)");
  Deno.exit(2);
}

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const cents = (value: number) => money.format(value / 100);

const api = createTechMartClient({ url, token });
const overview = await api.dashboard.overview.query();
const { today } = overview;
console.log(`TechMart at ${overview.asOf.toLocaleString()}`);
console.log(
  `today: ${cents(today.revenueCents)} from ${today.orders} orders by ${today.customers} customers ` +
    `(average ${cents(today.averageOrderCents)})`,
);
console.log("following new transactions (Ctrl-C to stop)...");

const subscription = api.transactions.onCreated.subscribe({
  suspiciousOnly: Deno.args.includes("--suspicious"),
}, {
  onData({ data }) {
    console.log(JSON.stringify(data));
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
