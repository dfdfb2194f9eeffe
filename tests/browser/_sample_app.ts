// Browser-test helper: an app holding the sample shop (with forecasts, suggestions and segments) and
// the fixture accounts.
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { prepareFirstStart } from "../../server/app/prepare.ts";
import {
  processSnapshot,
  startTestApp,
  type TestApp,
  type TestAppSnapshot,
} from "../../server/testing/test_app.ts";

let sampleShop: Promise<TestAppSnapshot> | undefined;

/**
 * A test app with the sample data imported and derived, plus one account per role (`viewer` ... `admin`):
 * a copy of one prepared once per test process, shared by its files (the preparation takes 5-10 s, the
 * copy well under one).
 */
export async function startSampleApp(): Promise<TestApp> {
  sampleShop ??= processSnapshot("sample-shop", async (services) => {
    // accounts first, so first-start preparation creates no admin of its own
    await insertRoleUsers(services);
    await prepareFirstStart(services);
  });
  sampleShop.catch(() => sampleShop = undefined);
  return await startTestApp({ from: await sampleShop });
}
