/// <reference lib="dom" />
import { hydrateIslands } from "./_hydrate.ts";
import { watchScrollHints } from "./_scroll_hints.ts";
import { usePlainValidationMessages } from "../server/shared/plain_validation.ts";

// the forms check input with the API's schemas: their refusals read as sentences here too
usePlainValidationMessages();

watchScrollHints();

hydrateIslands();
