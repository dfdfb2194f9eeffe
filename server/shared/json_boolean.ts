import { z } from "zod";

/**
 * A boolean in a JSON body: `true` or `false`, nothing else. A plain `z.boolean()` input is coerced by
 * trpc-to-openapi's REST handler (it turns every number, boolean and date field of an input object into
 * `z.coerce`), so `"false"`, `"no"` or `1` would all read as `true`; a union of the two literals is not
 * coerced, and refuses them with `message`.
 */
export function jsonBoolean(message: string) {
  return z.union([z.literal(true), z.literal(false)], { message });
}
