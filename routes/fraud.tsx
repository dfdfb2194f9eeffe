import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { type Column, DataTable } from "../components/DataTable.tsx";
import { formatCount, formatPercent } from "../server/shared/format.ts";
import { fraudRuleLabel } from "../server/shared/fraud_rule_labels.ts";
import { Pager } from "../components/Pager.tsx";
import { PageHeader, Panel } from "../components/Panel.tsx";
import FraudLists from "../islands/FraudLists.tsx";
import FraudModelPanel from "../islands/FraudModelPanel.tsx";
import LiveRefresh from "../islands/LiveRefresh.tsx";
import FraudReviewQueue from "../islands/FraudReviewQueue.tsx";
import FraudRulesEditor from "../islands/FraudRulesEditor.tsx";
import { roleAtLeast } from "../server/trpc/roles.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Fraud", minRole: "analyst" } as const;

// a page of the queue fits a screen or two; "Next" pages on by the queue's cursor
const queueSize = 20;

export async function load(ctx: PageContext) {
  const isAdmin = roleAtLeast(ctx.caller!.role, "admin");
  const [queue, lists, stats, active, versions, models, settings] = await Promise.all([
    ctx.api.fraud.queue({ limit: queueSize, cursor: ctx.url.searchParams.get("cursor") || undefined })
      .catch(() => ctx.api.fraud.queue({ limit: queueSize })),
    ctx.api.fraud.lists.list({}),
    ctx.api.fraud.ruleStats(),
    ctx.api.fraud.rules.get({}),
    isAdmin ? ctx.api.fraud.rules.versions({}) : Promise.resolve([]),
    ctx.api.fraud.models.list(),
    ctx.api.fraud.settings.get(),
  ]);
  return {
    isAdmin,
    queue,
    lists,
    stats,
    active,
    versions,
    models,
    settings,
    timeZone: ctx.services.config.STORE_TZ,
  };
}

type Data = Awaited<ReturnType<typeof load>>;
type StatRow = Data["stats"]["rules"][number];

const statColumns: Column<StatRow>[] = [
  { key: "code", label: "Rule", render: (row) => fraudRuleLabel(row.code) },
  { key: "fraud", label: "Fired on fraud", numeric: true, render: (row) => formatCount(row.firedOnFraud) },
  { key: "legit", label: "Fired on legit", numeric: true, render: (row) => formatCount(row.firedOnLegit) },
  {
    key: "fraudRate",
    label: "Share of fraud caught",
    numeric: true,
    render: (row) => formatPercent(row.fraudHitRate),
  },
  {
    key: "legitRate",
    label: "Share of legit hit",
    numeric: true,
    render: (row) => formatPercent(row.legitHitRate),
  },
  {
    key: "precision",
    label: "Firings that were fraud",
    numeric: true,
    render: (row) => row.firedOnFraud + row.firedOnLegit === 0 ? "—" : formatPercent(row.precision),
  },
];

/** Fraud review: the queue with reasons and labels, the customer lists, per-rule statistics, the rules. */
export default function FraudPage({ data, url }: PageProps<Data>) {
  const { queue, lists, stats, active, timeZone } = data;
  return (
    <>
      <LiveUpdates
        events={["transaction.created", "transaction.updated", "fraud.rules_changed", "fraud.lists_changed"]}
        regions={["#review-queue", "#customer-lists", "#rule-stats", "#fraud-rules"]}
      />
      {/* the model panel is redrawn only when what decides its operating point changes, not on every sale */}
      <LiveRefresh events={["fraud.settings_changed", "fraud.rules_changed"]} regions={["#fraud-model"]} />
      <PageHeader>
        Transactions the fraud check sent to review or blocked, with the reasons behind each score. Labels
        feed the rule statistics and the backtest.
      </PageHeader>

      <Panel title="Review queue" meta={`rules version ${active.version}`} id="review-queue">
        <FraudReviewQueue
          total={queue.total}
          timeZone={timeZone}
          rows={queue.items}
        />
        <Pager
          url={url}
          nextCursor={queue.nextCursor}
          count={queue.items.length}
          noun="transactions to review"
        />
      </Panel>

      <Panel
        title="Learned model"
        meta={data.models.inForce.version === null
          ? "shipped prior"
          : `version ${data.models.inForce.version}`}
        id="fraud-model"
      >
        <FraudModelPanel
          inForce={data.models.inForce}
          confirmedDevices={data.models.confirmedDevices}
          versions={data.models.versions}
          labelsSinceTraining={data.models.labelsSinceTraining}
          reviewThreshold={active.rules.thresholds.review}
          coldStartMaxReviewRate={data.settings.coldStartMaxReviewRate}
          ceilingSetBy={data.settings.updatedBy}
          followLabels={data.settings.followLabels}
          ceilingProposal={data.settings.labelProposal}
          isAdmin={data.isAdmin}
          timeZone={timeZone}
        />
      </Panel>

      <Panel title="Allow and block lists" id="customer-lists">
        <FraudLists
          timeZone={timeZone}
          rows={lists}
        />
      </Panel>

      <Panel
        title="Rule statistics"
        meta={`${formatCount(stats.labeled)} labeled: ${formatCount(stats.fraud)} fraud, ${
          formatCount(stats.legit)
        } legit`}
        flush
        id="rule-stats"
      >
        <DataTable
          caption="How often each rule fired on transactions labeled fraud and legit"
          columns={statColumns}
          rows={stats.rules}
          rowKey={(row) => row.code}
          testId="fraud-rule-stats"
          empty={<p class="muted">No labeled transactions yet.</p>}
        />
      </Panel>

      {data.isAdmin
        ? (
          <Panel title="Rules" meta={`version ${active.version} in force`} id="fraud-rules">
            <FraudRulesEditor
              activeVersion={active.version}
              rulesJson={JSON.stringify(active.rules, null, 2)}
              timeZone={timeZone}
              versions={data.versions}
            />
          </Panel>
        )
        : (
          <Panel title="Rules" meta={`version ${active.version} in force`} id="fraud-rules">
            <p>
              Review at a score of <strong>{active.rules.thresholds.review}</strong>, block at{" "}
              <strong>{active.rules.thresholds.block}</strong>. High-resale categories:{" "}
              {active.rules.highResaleUnits.categories.join(", ")}. Only admins change the rules.
            </p>
          </Panel>
        )}
    </>
  );
}
