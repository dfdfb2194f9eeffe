import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { DataTable } from "../components/DataTable.tsx";
import { Notice } from "../components/Notice.tsx";
import { useReloadingAction } from "./_action.ts";
import { formatDateTime } from "../server/shared/format.ts";

/** One order feed as `integrations.list` answers it (never its secret). */
export type IntegrationRow = RouterOutputs["integrations"]["list"][number];

/** One received delivery, newest first. */
export type DeliveryRow = RouterOutputs["integrations"]["deliveries"][number];

export interface IntegrationAdminProps {
  integrations: IntegrationRow[];
  deliveries: DeliveryRow[];
}

const kindNames = { shopify: "Shopify order webhooks", generic: "Signed JSON orders" } as const;

/** Admin > Integrations: live order feeds (create: the secret is shown once), on/off, and what arrived. */
export default function IntegrationAdmin(props: IntegrationAdminProps) {
  const [integrations, setIntegrations] = useState(props.integrations);
  const [deliveries, setDeliveries] = useState(props.deliveries);
  const [created, setCreated] = useState<{ name: string; secret: string; endpoint: string } | null>(null);
  const [copied, setCopied] = useState(false);

  async function reload() {
    const client = browserClient();
    const [list, log] = await Promise.all([
      client.integrations.list.query(),
      client.integrations.deliveries.query({}),
    ]);
    setIntegrations(list);
    setDeliveries(log);
  }
  const action = useReloadingAction(reload);
  const nameOf = new Map(integrations.map((i) => [i.id, i.name]));

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    await action.run(async () => {
      const answer = await browserClient().integrations.create.mutate({
        kind: String(data.get("kind")) as IntegrationRow["kind"],
        name: String(data.get("name")),
      });
      setCreated({
        name: answer.name,
        secret: answer.secret,
        endpoint: `${location.origin}${answer.endpoint}`,
      });
      setCopied(false);
      form.reset();
    }, "Integration created");
  }

  return (
    <div class="admin">
      <Notice message={action.message} />
      {created && (
        <div class="notice token-secret" role="status">
          <p>
            <strong>{created.name}</strong>: send orders to{" "}
            <code>{created.endpoint}</code>, signed with this secret. Copy it now: it is not shown again.
          </p>
          <code data-testid="integration-secret">{created.secret}</code>{" "}
          <button
            type="button"
            class="button"
            onClick={async () => {
              await navigator.clipboard.writeText(created.secret);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
      <form class="inline-form" onSubmit={create}>
        <label>
          Name <input name="name" required maxLength={100} placeholder="our-shopify-store" />
        </label>
        <label>
          Kind{" "}
          <select name="kind">
            <option value="shopify">{kindNames.shopify}</option>
            <option value="generic">{kindNames.generic}</option>
          </select>
        </label>
        <button type="submit" class="button primary" disabled={action.busy}>Add integration</button>
      </form>
      <DataTable
        caption="Integrations"
        testId="integrations"
        rows={integrations}
        rowKey={(integration) => integration.id}
        empty="No integrations yet: give one a name and a kind above and press Add integration to get its address and secret."
        columns={[
          { key: "name", label: "Name", render: (i) => i.name },
          { key: "kind", label: "Kind", render: (i) => kindNames[i.kind] },
          { key: "created", label: "Created", render: (i) => formatDateTime(i.createdAt) },
          { key: "state", label: "State", render: (i) => i.enabled ? "On" : "Off" },
          {
            key: "toggle",
            label: "",
            render: (i) => (
              <button
                type="button"
                class="button"
                disabled={action.busy}
                onClick={() =>
                  action.run(
                    () => browserClient().integrations.setEnabled.mutate({ id: i.id, enabled: !i.enabled }),
                    i.enabled ? "Turned off" : "Turned on",
                  )}
              >
                {i.enabled ? "Turn off" : "Turn on"}
              </button>
            ),
          },
        ]}
      />
      <h2>Deliveries</h2>
      <DataTable
        caption="Deliveries received, newest first"
        testId="deliveries"
        rows={deliveries}
        rowKey={(delivery) => delivery.id}
        empty="Nothing received yet: deliveries appear here as your shop sends orders to an integration's address."
        columns={[
          {
            key: "received",
            label: "Received",
            render: (d) => formatDateTime(d.receivedAt),
          },
          {
            key: "integration",
            label: "Integration",
            render: (d) => d.integrationId === null ? "—" : nameOf.get(d.integrationId) ?? "—",
          },
          { key: "topic", label: "Event", render: (d) => d.topic },
          { key: "order", label: "Order", render: (d) => d.externalId ?? "—" },
          { key: "outcome", label: "Outcome", render: (d) => d.outcome },
          {
            key: "detail",
            label: "Detail",
            render: (d) =>
              d.transactionId ? <a href={`/transactions/${d.transactionId}`}>{d.message}</a> : d.message,
          },
        ]}
      />
    </div>
  );
}
