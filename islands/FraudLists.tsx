import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { Badge } from "../components/Badge.tsx";
import { formatDateTime } from "../server/shared/format.ts";
import { useReloadingAction } from "./_action.ts";

/** One listed customer as the router lists it (Dates intact). */
export type ListedRow = RouterOutputs["fraud"]["lists"]["list"][number];

export interface FraudListsProps {
  rows: ListedRow[];
  timeZone: string;
}

/** Allow and block lists: add a customer by their code (moving them off the other list), take them off. */
export default function FraudLists(props: FraudListsProps) {
  const [rows, setRows] = useState(props.rows);
  const { busy, message, run } = useReloadingAction(async () => {
    const fresh = await browserClient().fraud.lists.list.query({});
    setRows(fresh);
  });

  async function add(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    // The code staff see on every page; the server also takes an id, so digits would name an id
    const code = String(data.get("customerCode") ?? "").trim();
    const list = String(data.get("list")) as "allow" | "block";
    const ok = await run(
      () =>
        browserClient().fraud.lists.put.mutate({
          customerId: code,
          list,
          reason: String(data.get("reason") ?? ""),
        }),
      `${code} is on the ${list} list`,
    );
    if (ok) form.reset();
  }

  return (
    <div class="fraud-lists">
      <Notice message={message} />
      <form class="inline-form" onSubmit={add} aria-label="Add a customer to a list">
        <label>
          Customer code{" "}
          <input name="customerCode" placeholder="CUS-00867" maxLength={64} required autocomplete="off" />
        </label>
        <label>
          List{" "}
          <select name="list">
            <option value="block">block</option>
            <option value="allow">allow</option>
          </select>
        </label>
        <label>
          Reason <input name="reason" maxLength={500} />
        </label>
        <button type="submit" disabled={busy}>Add</button>
      </form>
      <p class="muted">
        Block: orders score with the block-list rule and are usually blocked. Allow: orders may go to review
        but are never blocked automatically.
      </p>
      {rows.length === 0 ? <p class="muted">Nobody is on either list.</p> : (
        <div class="table-scroll">
          <table class="data-table" data-testid="fraud-lists">
            <caption class="visually-hidden">Customers on the allow and block lists</caption>
            <thead>
              <tr>
                <th>Customer</th>
                <th>List</th>
                <th>Reason</th>
                <th>Added</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.customerId} data-customer-id={row.customerId}>
                  <td>
                    {row.customerName ? <>{row.customerName}{" "}</> : null}
                    <span class="muted">{row.customerCode}</span>
                  </td>
                  <td>
                    <Badge tone={row.list === "block" ? "bad" : "good"}>{row.list}</Badge>
                  </td>
                  <td>{row.reason || <span class="muted">—</span>}</td>
                  <td>
                    {formatDateTime(row.addedAt, props.timeZone)} <span class="muted">by {row.addedBy}</span>
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        run(
                          () => browserClient().fraud.lists.remove.mutate({ customerId: row.customerId }),
                          `${row.customerName} is off the ${row.list} list`,
                        )}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
