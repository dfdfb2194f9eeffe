import assert from "node:assert/strict";
import { parseIslandProps, serializeIslandProps } from "./island_props.ts";

Deno.test("island props keep Dates, nulls and nesting through the marker's text", () => {
  const props = {
    tokens: [{ id: 1, createdAt: new Date("2026-01-02T03:04:05.000Z"), revokedAt: null }],
    title: 'a "quoted" <b>title</b>',
  };
  const back = parseIslandProps(serializeIslandProps(props));
  assert.deepEqual(back, props);
  assert.ok((back.tokens as { createdAt: unknown }[])[0].createdAt instanceof Date);
  assert.deepEqual(parseIslandProps(undefined), {});
});
