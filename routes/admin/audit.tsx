import type { PageContext, PageProps } from "../../server/http/pages/page.ts";
import { formatDateTime } from "../../server/shared/format.ts";
import { describeAuditDetails } from "../../components/audit_details.ts";
import { auditRecordLabel } from "../../components/audit_records.ts";
import { AUDIT_ACTION_GROUPS, auditActionLabel, isKnownAuditAction } from "../../components/audit_actions.ts";

export const config = { title: "Audit log", minRole: "admin" } as const;

const filterNames = ["actor", "action", "entityType", "entityId", "from", "to"] as const;

export async function load(ctx: PageContext) {
  const params = ctx.url.searchParams;
  const filters = Object.fromEntries(
    filterNames.map((name) => [name, params.get(name)?.trim() ?? ""]),
  ) as Record<
    (typeof filterNames)[number],
    string
  >;
  const cursor = Number(params.get("cursor")) || undefined;
  const page = await ctx.api.audit.list({
    actor: filters.actor || undefined,
    // the filter's choices are whole actions; any other text (an older link, `user.`) is a prefix as before
    ...(isKnownAuditAction(filters.action)
      ? { actionIs: filters.action }
      : { action: filters.action || undefined }),
    entityType: filters.entityType || undefined,
    entityId: filters.entityId || undefined,
    from: filters.from ? new Date(filters.from) : undefined,
    // "to" is a day: include all of it
    to: filters.to ? new Date(new Date(filters.to).getTime() + 24 * 60 * 60 * 1000) : undefined,
    cursor,
    limit: 50,
  });
  const next = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));
  if (page.nextCursor) next.set("cursor", String(page.nextCursor));
  return {
    filters,
    entries: page.items.map((entry) => ({
      id: entry.id,
      at: entry.at,
      actor: entry.actorVia === "token" ? `${entry.actorName} (API token)` : entry.actorName,
      action: auditActionLabel(entry.action),
      code: entry.action,
      entity: auditRecordLabel(entry),
      details: describeAuditDetails(entry.details as Record<string, unknown>),
      ip: entry.ip ?? "",
    })),
    nextHref: page.nextCursor ? `/admin/audit?${next}` : null,
  };
}

export default function AuditPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  const { filters } = data;
  return (
    <>
      <form method="get" action="/admin/audit" class="admin-form filters">
        <label>
          Who
          <input name="actor" value={filters.actor} placeholder="username" maxLength={120} />
        </label>
        <label>
          What
          <select name="action" value={filters.action}>
            <option value="">Anything</option>
            {filters.action && !isKnownAuditAction(filters.action) && (
              <option value={filters.action}>Starting with “{filters.action}”</option>
            )}
            {AUDIT_ACTION_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.actions.map((action) => (
                  <option key={action.value} value={action.value}>{action.label}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          Record type
          <input name="entityType" value={filters.entityType} placeholder="transaction" maxLength={80} />
        </label>
        <label>
          Record id
          <input name="entityId" value={filters.entityId} maxLength={80} />
        </label>
        <label>
          From
          <input name="from" type="date" value={filters.from} />
        </label>
        <label>
          To
          <input name="to" type="date" value={filters.to} />
        </label>
        <button type="submit">Filter</button>
        <a href="/admin/audit">Clear</a>
      </form>
      <div class="table-scroll">
        <table class="data-table audit">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Record</th>
              <th>Details</th>
              <th>Address</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">Nothing recorded matches these filters</td>
              </tr>
            )}
            {data.entries.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at)}</td>
                <td>{entry.actor}</td>
                <td data-action={entry.code}>{entry.action}</td>
                <td>{entry.entity}</td>
                <td>
                  {entry.details}
                </td>
                <td>{entry.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.nextHref && (
        <p>
          <a href={data.nextHref}>Older entries</a>
        </p>
      )}
    </>
  );
}
