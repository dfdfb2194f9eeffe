// Browser-test helper: an app holding the sample shop (with forecasts, suggestions and segments) and
// the fixture accounts.
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { prepareFirstStart } from "../../server/app/prepare.ts";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";

/** A test app with the sample data imported and derived, plus one account per role (`viewer` ... `admin`). */
export async function startSampleApp(): Promise<TestApp> {
  return await startTestApp({
    prepare: async (services) => {
      // accounts first, so first-start preparation creates no admin of its own
      await insertRoleUsers(services);
      await prepareFirstStart(services);
    },
  });
}
