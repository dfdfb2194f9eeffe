/**
 * The labeled stream generators, each written from different assumptions about fraud, under one name each.
 * The cold-start prior is trained on all of them; docs/fraud.md reports train-on-one, test-on-the-others.
 */
import { type FraudStreamRow, generateFraudStream } from "../fraud_stream.ts";
import { generateSignupBursts } from "./signup_bursts.ts";
import { generateIdentityShop } from "./identity_shop.ts";
import { generateGroceryMarketplace } from "./grocery_marketplace.ts";
import { generateWholesaleSupplies } from "./wholesale_supplies.ts";
import { generateMobileMarketplace } from "./mobile_marketplace.ts";

/** Generator name -> rows for a seed. */
export const FRAUD_GENERATORS: Record<string, (seed: number) => FraudStreamRow[]> = {
  "A rules stream": (seed) => generateFraudStream({ seed }),
  "B signup bursts": (seed) => generateSignupBursts({ seed, accounts: 20_000 }),
  "C identity shop": (seed) => generateIdentityShop({ seed }),
  "D grocery marketplace": (seed) => generateGroceryMarketplace({ seed }),
};

/**
 * Generators in the same format that the prior is not trained on: held-out checks only (session 10,
 * docs/fraud.md "Session 10: more generators"). `deno task fraud-prior --table` measures every one of them as a
 * column; `--generators=A,B,C,D,F,G` trains on them too, to measure the prior with more generators.
 */
export const CHECK_GENERATORS: Record<string, (seed: number) => FraudStreamRow[]> = {
  "F wholesale supplies": (seed) => generateWholesaleSupplies({ seed }),
  "G mobile marketplace": (seed) => generateMobileMarketplace({ seed }),
};

/** Every generator in the labeled stream's format (E, in the public dataset's shape, is apart). */
export const ALL_GENERATORS: Record<string, (seed: number) => FraudStreamRow[]> = {
  ...FRAUD_GENERATORS,
  ...CHECK_GENERATORS,
};

/**
 * The generators named by their letters (`"A,B,D"`), in `ALL_GENERATORS`' order; `undefined` gives the
 * prior's own training set (`FRAUD_GENERATORS`). An unknown letter is refused.
 */
export function generatorsByLetter(letters: string | undefined): string[] {
  if (letters === undefined) return Object.keys(FRAUD_GENERATORS);
  const wanted = letters.split(",").map((l) => l.trim().toUpperCase()).filter((l) => l !== "");
  const names = Object.keys(ALL_GENERATORS);
  for (const letter of wanted) {
    if (!names.some((n) => n.startsWith(`${letter} `))) {
      throw new Error(`--generators: no generator "${letter}"`);
    }
  }
  return names.filter((n) => wanted.includes(n.split(" ")[0]));
}
