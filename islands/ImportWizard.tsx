import { useEffect, useState } from "preact/hooks";
import { browserClient, csrfHeaders } from "../client/browser.ts";
import { DataTable } from "../components/DataTable.tsx";
import { Notice, type NoticeMessage } from "../components/Notice.tsx";

type Client = ReturnType<typeof browserClient>;
type Inspection = Awaited<ReturnType<Client["imports"]["inspect"]["query"]>>;
type Summary = Awaited<ReturnType<Client["imports"]["dryRun"]["mutate"]>>[number];
type Progress = Awaited<ReturnType<Client["imports"]["progress"]["query"]>>;

/** "native" reads our own CSVs; a name is a built-in or saved mapping; "custom" is the text below. */
type Choice = { kind: "native" } | { kind: "named"; name: string } | { kind: "custom" };

const numbers = new Intl.NumberFormat("en-GB");

async function failureText(response: Response): Promise<string> {
  try {
    return (await response.json()).error.message;
  } catch {
    return `The server answered ${response.status}`;
  }
}

/**
 * Admin > Import: upload CSV files (or .csv.gz), see their columns and first rows, pick or adjust a
 * mapping, dry-run it (what would be created and what rejected, line by line), then import with a
 * progress bar, and keep the mapping for next time.
 */
export default function ImportWizard() {
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [choice, setChoice] = useState<Choice>({ kind: "native" });
  const [customText, setCustomText] = useState("");
  const [summaries, setSummaries] = useState<{ dryRun: boolean; files: Summary[] } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  function choose(next: Choice, inspected = inspection) {
    setChoice(next);
    setSummaries(null);
    if (next.kind === "named") {
      const spec = inspected?.mappings.find((mapping) => mapping.name === next.name)?.spec;
      setCustomText(JSON.stringify(spec, null, 2));
    }
  }

  async function upload(event: Event) {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector(
      "input[type=file]",
    ) as HTMLInputElement;
    const files = [...input.files ?? []];
    if (files.length === 0) return setMessage({ kind: "error", text: "Choose one or more CSV files first" });
    setMessage(null);
    setSummaries(null);
    setProgress(null);
    try {
      const started = await fetch("/api/v1/imports/uploads", { method: "POST", headers: csrfHeaders() });
      if (!started.ok) throw new Error(await failureText(started));
      const id = (await started.json()).uploadId as string;
      for (const [i, file] of files.entries()) {
        setBusy(`Uploading ${file.name} (${i + 1} of ${files.length})…`);
        const sent = await fetch(`/api/v1/imports/uploads/${id}/files/${encodeURIComponent(file.name)}`, {
          method: "PUT",
          headers: csrfHeaders(),
          body: file,
        });
        if (!sent.ok) throw new Error(`${file.name}: ${await failureText(sent)}`);
      }
      setBusy("Reading the files…");
      const inspected = await browserClient().imports.inspect.query({ uploadId: id });
      setUploadId(id);
      setInspection(inspected);
      const fitting = inspected.mappings.find((mapping) => mapping.fits);
      const native = inspected.files.every((file) => file.nativeKind);
      choose(native || !fitting ? { kind: "native" } : { kind: "named", name: fitting.name }, inspected);
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }

  function mappingInput() {
    if (choice.kind === "native") return {};
    if (choice.kind === "custom") return { spec: JSON.parse(customText) };
    return { name: choice.name };
  }

  async function dryRun() {
    setMessage(null);
    setBusy("Trying the import (nothing is kept)…");
    try {
      const files = await browserClient().imports.dryRun.mutate({
        uploadId: uploadId!,
        mapping: mappingInput(),
      });
      setSummaries({ dryRun: true, files });
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }

  async function run() {
    setMessage(null);
    try {
      await browserClient().imports.run.mutate({ uploadId: uploadId!, mapping: mappingInput() });
      setProgress({
        state: "running",
        file: null,
        phase: "reading",
        fraction: 0,
        summaries: [],
        error: null,
      });
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    }
  }

  async function save() {
    setMessage(null);
    try {
      const saved = await browserClient().imports.saveMapping.mutate({ spec: JSON.parse(customText) });
      setMessage({ kind: "ok", text: `Saved mapping "${saved.name}": it is offered for the next import` });
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    }
  }

  // While an import runs, ask how it goes a few times a second
  useEffect(() => {
    if (progress?.state !== "running" || !uploadId) return;
    const timer = setTimeout(async () => {
      const next = await browserClient().imports.progress.query({ uploadId });
      setProgress(next);
      if (next.state === "done") setSummaries({ dryRun: false, files: next.summaries });
      if (next.state === "failed") setMessage({ kind: "error", text: `The import failed: ${next.error}` });
    }, 400);
    return () => clearTimeout(timer);
  }, [progress, uploadId]);

  const running = progress?.state === "running";
  return (
    <div class="import-wizard">
      <Notice message={message} />
      <form class="inline-form" onSubmit={upload}>
        <label>
          Files{" "}
          <input type="file" name="files" multiple accept=".csv,.gz,text/csv" data-testid="import-files" />
        </label>
        <button type="submit" class="button primary" disabled={busy !== null || running}>Upload</button>
      </form>
      {busy && <p class="muted" role="status">{busy}</p>}
      {inspection && (
        <section class="panel" data-testid="import-preview">
          <h2>Files</h2>
          {inspection.files.map((file) => (
            <div key={file.name} class="import-file">
              <h3>
                {file.name}{" "}
                <span class="muted">
                  {numbers.format(Math.round(file.sizeBytes / 1024))} KB · {file.columns.length} columns
                  {file.nativeKind ? ` · our ${file.nativeKind} file` : ""}
                </span>
              </h3>
              <DataTable
                caption={`First rows of ${file.name}`}
                rows={file.sample}
                rowKey={(row) => row.join("\u0001")}
                columns={file.columns.map((column, i) => ({
                  key: `${i}`,
                  label: column,
                  render: (row: string[]) => row[i],
                }))}
              />
            </div>
          ))}
          <h2>Mapping</h2>
          <label>
            Read the files as{" "}
            <select
              data-testid="import-mapping"
              value={choice.kind === "named" ? choice.name : choice.kind}
              onChange={(event) => {
                const value = (event.currentTarget as HTMLSelectElement).value;
                choose(
                  value === "native" || value === "custom" ? { kind: value } : { kind: "named", name: value },
                );
              }}
            >
              <option value="native">Our own CSV files (products, customers, transactions, …)</option>
              {inspection.mappings.map((mapping) => (
                <option key={mapping.name} value={mapping.name}>
                  {mapping.name}
                  {mapping.saved ? " (saved)" : ""}
                  {mapping.fits ? " — matches the columns" : ""}
                </option>
              ))}
              <option value="custom">Adjusted mapping (edit below)</option>
            </select>
          </label>
          {choice.kind !== "native" && (
            <label class="mapping-text">
              Mapping (JSON: which of the file's columns fills each field){" "}
              <textarea
                rows={14}
                data-testid="import-mapping-text"
                value={customText}
                onInput={(event) => {
                  setCustomText((event.currentTarget as HTMLTextAreaElement).value);
                  if (choice.kind !== "custom") setChoice({ kind: "custom" });
                  setSummaries(null);
                }}
              />
            </label>
          )}
          <p class="actions">
            <button type="button" class="button" disabled={busy !== null || running} onClick={dryRun}>
              Dry run
            </button>{" "}
            <button
              type="button"
              class="button primary"
              disabled={busy !== null || running || !summaries?.dryRun}
              title={summaries?.dryRun ? undefined : "Do a dry run first"}
              onClick={run}
            >
              Import
            </button>{" "}
            {choice.kind === "custom" && (
              <button type="button" class="button" onClick={save}>Save mapping</button>
            )}
          </p>
        </section>
      )}
      {progress && progress.state !== "idle" && (
        <p data-testid="import-progress">
          <progress max={1} value={progress.fraction} /> {progress.state === "running"
            ? `${progress.phase === "writing" ? "Writing" : "Reading"} ${progress.file ?? ""} ${
              Math.round(progress.fraction * 100)
            }%`
            : progress.state === "done"
            ? "Imported"
            : "Failed"}
        </p>
      )}
      {summaries && <ImportSummaries dryRun={summaries.dryRun} files={summaries.files} />}
    </div>
  );
}

function ImportSummaries({ dryRun, files }: { dryRun: boolean; files: Summary[] }) {
  return (
    <section class="panel" data-testid={dryRun ? "dry-run-result" : "import-result"}>
      <h2>{dryRun ? "Dry run: what an import would do" : "Imported"}</h2>
      {files.map((file) => {
        const created = Object.entries(file.created).filter(([, n]) => n > 0);
        return (
          <div key={file.file}>
            <h3>{file.file}</h3>
            <p>
              {numbers.format(file.read)} lines read: {numbers.format(file.inserted)}{" "}
              {dryRun ? "would be imported" : "imported"}, {numbers.format(file.skipped)} already there,{" "}
              {numbers.format(file.rejected)} rejected.
              {created.length > 0 &&
                ` ${dryRun ? "Would create" : "Created"} ${
                  created.map(([table, n]) => `${numbers.format(n)} ${table.replace("_", " ")}`).join(", ")
                }.`}
            </p>
            {file.rejects.length > 0 && (
              <DataTable
                caption={`Rejected lines of ${file.file}`}
                showCaption
                rows={file.rejects}
                rowKey={(reject) => reject.line}
                columns={[
                  { key: "line", label: "Line", numeric: true, render: (reject) => reject.line },
                  { key: "reason", label: "Why", render: (reject) => reject.reason },
                ]}
              />
            )}
          </div>
        );
      })}
    </section>
  );
}
