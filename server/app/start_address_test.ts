import assert from "node:assert/strict";
import { startTestApp } from "../testing/test_app.ts";

Deno.test("an app listening on every interface (HOST=0.0.0.0, as in the Docker image) gives a URL a browser opens", async () => {
  const app = await startTestApp({ env: { HOST: "0.0.0.0" } });
  try {
    assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${app.url}/health`);
    assert.equal(response.status, 200, await response.text());
  } finally {
    await app.stop();
  }
});
