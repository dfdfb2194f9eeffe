import TokenAdmin from "../../islands/TokenAdmin.tsx";
import type { PageContext, PageProps } from "../../server/http/pages/page.ts";

export const config = { title: "API tokens", minRole: "admin" } as const;

export async function load(ctx: PageContext) {
  return { tokens: await ctx.api.tokens.list() };
}

export default function TokensPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <p class="muted">
        Programs call the API with a token:{" "}
        <code>Authorization: Bearer tm_…</code>. A token acts with its role, for tRPC (<code>/trpc</code>) and
        REST (<code>/api/v1</code>) alike, until it expires or is revoked.
      </p>
      <TokenAdmin tokens={data.tokens} />
    </>
  );
}
