/**
 * The floor plan: every source file sits on one floor, listed top first, and may import only from
 * its own floor or the floors below it. docs/architecture.md explains each floor.
 *
 * Patterns: "dir/" is a folder and everything below it, "*suffix" matches the end of a path,
 * anything else is one file. A file takes the first floor (top first) that matches it.
 */

export interface Floor {
  name: string;
  files: string[];
  /** the folders of this floor may import each other, but never in a cycle of folders */
  acyclicFolders?: boolean;
}

export type FloorPlan = Floor[];

export const floorPlan: FloorPlan = [
  {
    // Tests, fixtures, benches and tools drive the app from outside, so they may import any floor;
    // nothing else may import them.
    name: "tools",
    files: [
      "*_test.ts",
      "*_test.tsx",
      "*fixtures.ts",
      "tests/",
      "bench/",
      "scripts/",
      "server/testing/",
      "examples/",
      "data/",
    ],
  },
  // What Fresh's entry and config would hold: the process entry and the declared pages and islands
  { name: "entry", files: ["main.ts", "fresh.config.ts"] },
  // Preact pages, islands, presentational components and the typed browser client
  { name: "pages", files: ["routes/", "islands/", "components/", "client/"] },
  // Puts the app together: Hono app, start and stop, first-start preparation
  // The traffic simulator drives the app through its own API, like a client inside the process
  { name: "wiring", files: ["server/app/", "server/simulate/"] },
  // The web edge: REST bridge, sockets, page rendering, downloads, sign-in forms, island bundles
  { name: "web edge", files: ["server/http/", "server/islands/"] },
  // The one tRPC router merged from every domain's router, and the server-side caller pages use
  { name: "api", files: ["server/api/"] },
  {
    // Domains may import each other's modules, as long as the folders form no cycle: one domain
    // is built on another, never both ways (transactions use fraud; fraud never uses transactions)
    name: "domains",
    acyclicFolders: true,
    files: [
      "server/alerts/",
      "server/analytics/",
      "server/auth/",
      "server/customers/",
      "server/dashboard/",
      "server/forecast/",
      "server/fraud/",
      "server/health/",
      "server/import/",
      "server/integrations/",
      "server/inventory/",
      "server/live/",
      "server/notifications/",
      "server/products/",
      "server/reports/",
      "server/settings/",
      "server/suppliers/",
      "server/transactions/",
      "jobs/",
    ],
  },
  // What every domain builds on: procedure builders and roles, the event bus, cache, read models
  {
    name: "base",
    files: [
      "server/trpc/",
      "server/events/",
      "server/views/",
      "server/services.ts",
      "server/cache.ts",
      "server/domain.ts",
    ],
  },
  // No app knowledge: database, key-value store, config, logging, shared pure helpers
  {
    name: "foundation",
    files: [
      "server/db/",
      "server/kv/",
      "server/shared/",
      // the guard every outbound call goes through: addresses and connections, no app knowledge
      "server/outbound/",
      "server/config.ts",
      "server/log.ts",
    ],
  },
];
