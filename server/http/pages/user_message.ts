import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

const SERVER_FAULT = "Something went wrong on our side. Try again in a moment.";

/**
 * A failed API call as a sentence for a page: the procedure's own message when it wrote one for people
 * (NOT_FOUND, CONFLICT, ...), never a validation library's issue list or JSON, never internals.
 * @example userMessageOf(new TRPCError({ code: "NOT_FOUND", message: "No product with id 42" })) // "No product with id 42"
 */
export function userMessageOf(error: unknown): string {
  if (!(error instanceof TRPCError)) return SERVER_FAULT;
  if (error.code === "INTERNAL_SERVER_ERROR") return SERVER_FAULT;
  if (error.cause instanceof ZodError || looksMachineMade(error.message)) {
    return "Some of the values could not be used. Check them and try again.";
  }
  return error.message;
}

// A zod issue list serialised into the message, or JSON quoted in it (a tampered cursor echoed back)
function looksMachineMade(message: string): boolean {
  return /^\s*[\[{]/.test(message) || message.includes('{"') || message.includes('"code":');
}
