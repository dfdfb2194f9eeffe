// Island props on their way from the server's render to the browser's hydration: one format both ways,
// superjson (as the API uses), so a Date, Map, Set or bigint arrives as it left and routes pass the
// router's outputs to islands as they are.
import superjson from "superjson";

/** The props of an island as the text of its marker's `data-props`. */
export function serializeIslandProps(props: Record<string, unknown>): string {
  return superjson.stringify(props);
}

/** The props an island's marker carries, as they were on the server. */
export function parseIslandProps(text: string | undefined): Record<string, unknown> {
  return text ? superjson.parse<Record<string, unknown>>(text) ?? {} : {};
}
