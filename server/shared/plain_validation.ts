/**
 * Validation messages in a person's words, for every zod schema in the process (server and browser):
 * "Must be 1 or more" instead of "Too small: expected number to be >=1", amounts (fields named
 * `...Cents`) in the shop's money instead of pence. A schema's own message still wins. Installed once
 * per runtime by `usePlainValidationMessages()` (the procedure builders and the islands' boot).
 * @module
 */
import { z } from "zod";
import { formatCents, formatCount } from "./format.ts";

/** The parts of a zod issue this reads (zod 4's raw issue, before its message is set). */
export interface RawIssueLike {
  code?: string;
  path?: readonly PropertyKey[];
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  values?: readonly unknown[];
  divisor?: number;
}

function isMoney(path: readonly PropertyKey[] | undefined): boolean {
  const last = path?.findLast((key) => typeof key === "string");
  return typeof last === "string" && /cents$/i.test(last);
}

function amount(value: number | bigint, money: boolean): string {
  return money ? formatCents(Number(value)) : formatCount(Number(value));
}

/**
 * The plain sentence for an issue, or undefined to keep zod's own.
 * @example
 * plainIssueMessage({ code: "too_big", origin: "number", maximum: 10_000_000_000, inclusive: true, path: ["priceCents"] })
 * // "Must be £100,000,000.00 or less"
 */
export function plainIssueMessage(issue: RawIssueLike): string | undefined {
  const money = isMoney(issue.path);
  if (issue.code === "invalid_value" && issue.input === undefined) return "This is required";
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "This is required";
      if (issue.expected === "int") return "Must be a whole number";
      if (issue.expected === "number" || issue.expected === "bigint") {
        return money ? "Enter an amount" : "Enter a number";
      }
      if (issue.expected === "string") return "Enter some text";
      if (issue.expected === "boolean") return "Choose yes or no";
      if (issue.expected === "date") return "Enter a date";
      return "This is missing or not in the right form";
    case "too_small": {
      const min = issue.minimum ?? 0;
      if (issue.origin === "string") {
        return Number(min) <= 1 ? "This is required" : `Use at least ${formatCount(Number(min))} characters`;
      }
      if (issue.origin === "array" || issue.origin === "set") {
        return Number(min) <= 1 ? "Add at least one" : `Add at least ${formatCount(Number(min))}`;
      }
      if (issue.origin === "date") return "This date is too early";
      return issue.inclusive === false
        ? `Must be more than ${amount(min, money)}`
        : `Must be ${amount(min, money)} or more`;
    }
    case "too_big": {
      const max = issue.maximum ?? 0;
      if (issue.origin === "string") return `Use at most ${formatCount(Number(max))} characters`;
      if (issue.origin === "array" || issue.origin === "set") {
        return `At most ${formatCount(Number(max))} allowed`;
      }
      if (issue.origin === "date") return "This date is too late";
      return issue.inclusive === false
        ? `Must be less than ${amount(max, money)}`
        : `Must be ${amount(max, money)} or less`;
    }
    case "invalid_format":
      if (issue.format === "email") return "Enter an email address, like name@example.com";
      if (issue.format === "url") return "Enter a web address, like https://example.com";
      if (issue.format === "datetime" || issue.format === "date") return "Enter a date";
      return "This is not in the right form";
    case "invalid_value":
      return issue.values && issue.values.length <= 12
        ? `Choose one of: ${issue.values.map(String).join(", ")}`
        : "Choose one of the listed options";
    case "not_multiple_of":
      return `Must be a multiple of ${amount(issue.divisor ?? 1, money)}`;
    case "unrecognized_keys":
      return "Contains fields this form does not take";
    case "invalid_union":
      return "This is not in the right form";
    default:
      return undefined;
  }
}

let installed = false;

/** Makes every zod schema in this runtime report `plainIssueMessage` (once; later calls do nothing). */
export function usePlainValidationMessages(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: (issue) => plainIssueMessage(issue as RawIssueLike) });
}
