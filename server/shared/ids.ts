import { z } from "zod";

/*
 * A row id, in the two places it arrives. Each is its own schema object on purpose: the REST handler makes
 * a query's or a path's fields read text as numbers by flagging their schema, and a JSON body's numbers stay
 * numbers (server/http/json_body_types.ts); one object in both places could not be both.
 */

/** A row id in a path or a query string: text that reads as a whole number from 1. */
export const idParamSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A row id in a JSON body: a whole JSON number from 1 (`"5"` or `true` is refused). */
export const idFieldSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
