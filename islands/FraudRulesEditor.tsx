import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice, type NoticeMessage } from "../components/Notice.tsx";
import { Badge } from "../components/Badge.tsx";
import { countOf, formatDateTime, formatPercent } from "../server/shared/format.ts";
import { FRAUD_RULE_LABELS } from "../server/shared/fraud_rule_labels.ts";

/** One saved version as the router lists it (Dates intact). */
export type VersionRow = RouterOutputs["fraud"]["rules"]["versions"][number];

export interface FraudRulesEditorProps {
  activeVersion: number;
  /** the active rules, as JSON text (the editor's starting draft) */
  rulesJson: string;
  versions: VersionRow[];
  timeZone: string;
}

/** The rules whose weight can be set from the form (the rest is in the JSON). */
const WEIGHTED_RULES = FRAUD_RULE_LABELS;

interface Figures {
  flagged: number;
  precision: number;
  recall: number;
  f1: number;
  reviews: number;
  blocks: number;
  reviewThreshold: number;
  blockThreshold: number;
}

interface Backtest {
  labeled: number;
  fraud: number;
  replayed: number;
  active: Figures;
  candidate: Figures;
  changes: { transactionId: number; label: string; before: number; after: number }[];
  withPrior: { labeled: number; fraud: number; active: Figures; candidate: Figures } | null;
}

type Draft = Record<string, unknown> & {
  thresholds: { review: number; block: number };
  highResaleUnits: { categories: string[] };
};

function parseDraft(text: string): { draft?: Draft; error?: string } {
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== "object" || !value.thresholds) {
      return { error: "The rules must be an object" };
    }
    return { draft: value as Draft };
  } catch (error) {
    return { error: `The JSON does not parse: ${(error as Error).message}` };
  }
}

/**
 * Admin > fraud rules: edit thresholds, weights and the high-resale categories (or any field in the JSON),
 * backtest the draft against the active version on the labeled history, save it as a new version with a
 * note (optionally in force at once), and activate any earlier version.
 */
export default function FraudRulesEditor(props: FraudRulesEditorProps) {
  // the rules in force as this editor last knew them: the draft starts from them and is "edited" once it differs
  const [inForce, setInForce] = useState({ version: props.activeVersion, json: props.rulesJson });
  const [versions, setVersions] = useState(props.versions);
  const [text, setText] = useState(props.rulesJson);
  const [note, setNote] = useState("");
  const [activate, setActivate] = useState(true);
  const [busy, setBusy] = useState(false);
  const [backtest, setBacktest] = useState<Backtest | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const parsed = parseDraft(text);
  const draft = parsed.draft;
  // the page redraws itself when sales or rules change (LiveRefresh): a draft, a note or a backtest being
  // read must not be swapped away under the admin
  const editing = text !== inForce.json || note.trim() !== "" || backtest !== null;

  function update(change: (draft: Draft) => void) {
    if (!draft) return;
    const next = structuredClone(draft);
    change(next);
    setText(JSON.stringify(next, null, 2));
    setBacktest(null);
  }

  async function run(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setMessage(null);
    try {
      await action();
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const runBacktest = () =>
    run(async () => {
      if (!draft) throw new Error(parsed.error);
      // The draft is validated by the server; the client only checks that it is JSON
      setBacktest(await browserClient().fraud.rules.backtest.mutate({ rules: draft as never }) as Backtest);
    });

  /** After a save or an activation: the versions as stored now, and the draft back to the rules in force. */
  async function settle(active?: { version: number; json: string }) {
    const next = active ?? inForce;
    setInForce(next);
    setText(next.json);
    setNote("");
    setBacktest(null);
    // the page's list: the procedure's default length (a growing limit would pass its maximum of 100)
    setVersions(await browserClient().fraud.rules.versions.query({}));
  }

  const save = () =>
    run(async () => {
      if (!draft) throw new Error(parsed.error);
      const saved = await browserClient().fraud.rules.save.mutate({ rules: draft as never, note, activate });
      await settle(
        saved.isActive ? { version: saved.version, json: JSON.stringify(saved.rules, null, 2) } : undefined,
      );
      setMessage({
        kind: "ok",
        text: `Saved as version ${saved.version}${saved.isActive ? ", now in force" : ""}.`,
      });
    });

  const activateVersion = (version: number) =>
    run(async () => {
      const active = await browserClient().fraud.rules.activate.mutate({ version });
      await settle({ version, json: JSON.stringify(active.rules, null, 2) });
      setMessage({ kind: "ok", text: `Version ${version} is in force.` });
    });

  return (
    <div class="fraud-rules-editor" data-live-hold={editing ? "editing" : undefined}>
      <Notice message={message} />
      <p class="muted">
        Editing a draft of version {inForce.version}{" "}
        (in force). Time zone for “unusual hour”: the store's ({props.timeZone}), unless the rules set another
        under “All fields (JSON)”.
      </p>
      {draft && (
        <div class="rules-form">
          <fieldset>
            <legend>Thresholds (score 0–100)</legend>
            <label>
              Review at{" "}
              <input
                type="number"
                min={0}
                max={100}
                step={1}
                value={draft.thresholds.review}
                onInput={(e) =>
                  update((d) => d.thresholds.review = Number((e.currentTarget as HTMLInputElement).value))}
              />
            </label>{" "}
            <label>
              Block at{" "}
              <input
                type="number"
                min={0}
                max={100}
                step={1}
                value={draft.thresholds.block}
                onInput={(e) =>
                  update((d) => d.thresholds.block = Number((e.currentTarget as HTMLInputElement).value))}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Rule weights (0 turns a rule off, 1 is decisive)</legend>
            <div class="rules-weights">
              {WEIGHTED_RULES.map(([key, label]) => (
                <label key={key}>
                  {label}{" "}
                  <input
                    type="number"
                    min={0}
                    max={1}
                    step={0.05}
                    value={(draft[key] as { weight?: number } | undefined)?.weight ?? 0}
                    onInput={(e) =>
                      update((d) => {
                        (d[key] as { weight: number }).weight = Number(
                          (e.currentTarget as HTMLInputElement).value,
                        );
                      })}
                  />
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>High-resale categories (catalog names or slugs, comma-separated)</legend>
            <input
              class="wide"
              value={draft.highResaleUnits.categories.join(", ")}
              onChange={(e) =>
                update((d) =>
                  d.highResaleUnits.categories = (e.currentTarget as HTMLInputElement).value.split(",")
                    .map((c) => c.trim()).filter(Boolean)
                )}
            />
          </fieldset>
        </div>
      )}
      <details>
        <summary>All fields (JSON)</summary>
        <textarea
          rows={20}
          class="code wide"
          aria-label="Rules as JSON"
          value={text}
          onInput={(e) => {
            setText((e.currentTarget as HTMLTextAreaElement).value);
            setBacktest(null);
          }}
        />
      </details>
      {parsed.error && <p class="form-error" role="alert">{parsed.error}</p>}

      <div class="page-actions">
        <button type="button" disabled={busy || !draft} onClick={runBacktest}>Backtest the draft</button>
      </div>
      {backtest && <BacktestTable result={backtest} />}

      <form
        class="inline-form"
        aria-label="Save the draft"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          Note <input required maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <label>
          <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.currentTarget.checked)} />
          {" "}
          put in force now
        </label>
        <button type="submit" disabled={busy || !draft || note.trim() === ""}>Save as a new version</button>
      </form>

      <h3>Versions</h3>
      <table class="data-table" data-testid="fraud-rule-versions">
        <caption class="visually-hidden">Saved versions of the fraud rules</caption>
        <thead>
          <tr>
            <th>Version</th>
            <th>Note</th>
            <th>Saved</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                {v.version} {v.isActive && <Badge tone="good">in force</Badge>}
              </td>
              <td>{v.note}</td>
              <td>
                {v.stored ? formatDateTime(v.createdAt, props.timeZone) : "shipped"}{" "}
                <span class="muted">by {v.createdBy}</span>
              </td>
              <td class="actions">
                {!v.isActive && v.stored && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => activateVersion(v.version)}
                  >
                    Activate
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BacktestTable({ result }: { result: Backtest }) {
  const rows: [string, (f: Figures) => string][] = [
    ["Review / block at", (f) => `${f.reviewThreshold} / ${f.blockThreshold}`],
    ["Precision", (f) => formatPercent(f.precision)],
    ["Recall", (f) => formatPercent(f.recall)],
    ["F1", (f) => f.f1.toFixed(3)],
    ["Labeled flagged", (f) => String(f.flagged)],
    ["Reviews", (f) => String(f.reviews)],
    ["Blocks", (f) => String(f.blocks)],
  ];
  const withPrior = result.withPrior;
  return (
    <div class="backtest" data-testid="fraud-backtest">
      <p class="muted">
        Replayed {result.replayed} transactions; {result.labeled} labeled ({result.fraud} fraud).
        {withPrior && (
          <>
            {" "}
            <span data-testid="fraud-backtest-with-prior">
              "With the prior" is how a sale is scored while the shop has no model of its own: the shipped
              model at this shop's operating point, with the rules deciding before it, on the{" "}
              {withPrior.labeled} labeled sales it scored ({withPrior.fraud}{" "}
              fraud). "Rules alone" is the rules by themselves.
            </span>
          </>
        )}
      </p>
      <table class="data-table">
        <caption class="visually-hidden">Backtest: active rules against the draft</caption>
        <thead>
          <tr>
            <th></th>
            <th class="numeric">Active{withPrior && ", rules alone"}</th>
            <th class="numeric">Draft{withPrior && ", rules alone"}</th>
            {withPrior && <th class="numeric">Active, with the prior</th>}
            {withPrior && <th class="numeric">Draft, with the prior</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, show]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td class="numeric">{show(result.active)}</td>
              <td class="numeric">{show(result.candidate)}</td>
              {withPrior && <td class="numeric">{show(withPrior.active)}</td>}
              {withPrior && <td class="numeric">{show(withPrior.candidate)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {result.changes.length > 0 && (
        <details>
          <summary>{countOf(result.changes.length, "labeled transaction")} flagged differently</summary>
          <ul>
            {result.changes.map((c) => (
              <li key={c.transactionId}>
                <a href={`/transactions/${c.transactionId}`}>#{c.transactionId}</a> ({c.label}): {c.before} →
                {" "}
                {c.after}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
