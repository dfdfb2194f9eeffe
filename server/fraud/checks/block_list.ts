import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import type { CheckInput } from "./_common.ts";

/** The customer is on the block list; being on the allow list as well overrides it. */
export function checkBlockList(input: CheckInput, _rules: FraudRules): Finding | null {
  if (!input.history.blockListed || input.history.allowListed) return null;
  return { code: "block_list", strength: 1, message: "Customer is on the block list" };
}
