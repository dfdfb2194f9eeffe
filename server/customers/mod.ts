import { defineDomain } from "../domain.ts";
import { customersRouter } from "./router.ts";
import { customerPatternsJob } from "./patterns_job.ts";

/** Customers and their segments. */
export const customersDomain = defineDomain({
  folder: "customers",
  routers: { customers: customersRouter },
  jobs: [customerPatternsJob],
});
