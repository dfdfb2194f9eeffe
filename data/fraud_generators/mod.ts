/**
 * The labeled stream generators, each written from different assumptions about fraud, under one name each.
 * The cold-start prior is trained on all of them; docs/fraud.md reports train-on-one, test-on-the-others.
 */
import { type FraudStreamRow, generateFraudStream } from "../fraud_stream.ts";
import { generateSignupBursts } from "./signup_bursts.ts";
import { generateIdentityShop } from "./identity_shop.ts";
import { generateGroceryMarketplace } from "./grocery_marketplace.ts";

/** Generator name -> rows for a seed. */
export const FRAUD_GENERATORS: Record<string, (seed: number) => FraudStreamRow[]> = {
  "A rules stream": (seed) => generateFraudStream({ seed }),
  "B signup bursts": (seed) => generateSignupBursts({ seed, accounts: 20_000 }),
  "C identity shop": (seed) => generateIdentityShop({ seed }),
  "D grocery marketplace": (seed) => generateGroceryMarketplace({ seed }),
};
