import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { builtInMappings } from "./mapping_registry.ts";
import { recordAudit } from "../auth/audit.ts";
import { adminProcedure, router } from "../trpc/init.ts";
import { compileMapping, MappingSpecError, parseMappingSpec } from "./declarative_mapping.ts";
import { importedSales, importPaths, type ImportSummary } from "./importer.ts";
import { scoreImportedHistoryWithPrior } from "../fraud/model/prior_history.ts";
import type { Mapping } from "./mapping.ts";
import type { MappingSpec } from "./mapping_spec.ts";
import { previewUpload } from "./upload_inspect.ts";
import {
  deleteUpload,
  listSavedMappings,
  listUploadedFiles,
  materializeUpload,
  saveMapping,
  uploadExists,
} from "./upload_queries.ts";
import type { Context } from "../trpc/context.ts";
import { basename } from "node:path";

const uploadId = z.uuid();

/** Which mapping reads the upload: none (our own files), a built-in or saved one by name, or a spec as given. */
const mappingChoice = z.object({
  name: z.string().max(100).optional(),
  spec: z.unknown().optional(),
});

/** A summary for the browser: every count, and the first rejects (all of them are in the CLI's rejects file). */
const summarySchema = z.object({
  file: z.string(),
  kind: z.string(),
  read: z.number(),
  inserted: z.number(),
  skipped: z.number(),
  rejected: z.number(),
  rejects: z.array(z.object({ line: z.number(), reason: z.string() })),
  applied: z.boolean(),
  created: z.record(z.string(), z.number()),
});

const progressSchema = z.object({
  state: z.enum(["idle", "running", "done", "failed"]),
  file: z.string().nullable(),
  phase: z.enum(["reading", "writing"]).nullable(),
  fraction: z.number(),
  summaries: z.array(summarySchema),
  error: z.string().nullable(),
});
type Progress = z.infer<typeof progressSchema>;

const progressKey = (id: string) => `import-progress:${id}`;
const progressTtlMs = 24 * 60 * 60 * 1000;

function brief(summary: ImportSummary): z.infer<typeof summarySchema> {
  return {
    file: basename(summary.file),
    kind: summary.kind,
    read: summary.read,
    inserted: summary.inserted,
    skipped: summary.skipped,
    rejected: summary.rejected,
    rejects: summary.rejects.slice(0, 200),
    applied: summary.applied,
    created: summary.created as Record<string, number>,
  };
}

async function resolveMapping(
  ctx: Context,
  choice: z.infer<typeof mappingChoice>,
): Promise<Mapping | undefined> {
  const options = { storeCurrency: ctx.config.STORE_CURRENCY };
  try {
    if (choice.spec !== undefined) return compileMapping(parseMappingSpec(choice.spec, "mapping"), options);
    if (choice.name === undefined) return undefined;
    if (Object.hasOwn(builtInMappings, choice.name)) {
      return compileMapping(builtInMappings[choice.name], options);
    }
    const saved = (await listSavedMappings(ctx.db.sql)).find((mapping) => mapping.name === choice.name);
    if (saved) return compileMapping(parseMappingSpec(saved.spec, choice.name), options);
  } catch (error) {
    if (error instanceof MappingSpecError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
    }
    throw error;
  }
  throw new TRPCError({ code: "NOT_FOUND", message: `No mapping called "${choice.name}"` });
}

async function requireUpload(ctx: Context, id: string) {
  if (!await uploadExists(ctx.db.sql, id)) {
    throw new TRPCError({ code: "NOT_FOUND", message: "No such upload: it may have been imported already" });
  }
  const files = await listUploadedFiles(ctx.db.sql, id);
  if (files.length === 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The upload has no files yet" });
  }
  return files;
}

/** Runs the importer on the upload's files, written to a temporary folder for the time of the run. */
async function runOnUpload(
  ctx: Context,
  id: string,
  mapping: Mapping | undefined,
  options: {
    dryRun: boolean;
    onProgress?: (progress: { file: string; phase: "reading" | "writing"; fraction: number }) => void;
  },
): Promise<ImportSummary[]> {
  const { dir, paths } = await materializeUpload(ctx.db.sql, id);
  try {
    return await importPaths(ctx.db.sql, paths, { mapping, rejectsDir: false, ...options });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Admin: imports from the browser — preview, dry run, import with progress, and saved mappings. */
export const importsRouter = router({
  /** Each uploaded file's columns and first rows, with the mappings that can read it. */
  inspect: adminProcedure
    .input(z.object({ uploadId }))
    .output(z.object({
      files: z.array(z.object({
        name: z.string(),
        sizeBytes: z.number(),
        columns: z.array(z.string()),
        sample: z.array(z.array(z.string())),
        nativeKind: z.string().nullable(),
      })),
      mappings: z.array(z.object({
        name: z.string(),
        description: z.string(),
        saved: z.boolean(),
        fits: z.boolean(),
        spec: z.unknown(),
      })),
    }))
    .query(async ({ ctx, input }) => {
      const files = await previewUpload(ctx.db.sql, input.uploadId, await requireUpload(ctx, input.uploadId));
      const saved = await listSavedMappings(ctx.db.sql);
      const candidates: { spec: MappingSpec | Record<string, unknown>; saved: boolean }[] = [
        ...saved.map((mapping) => ({ spec: mapping.spec as Record<string, unknown>, saved: true })),
        ...Object.values(builtInMappings).map((spec) => ({ spec, saved: false })),
      ];
      // A mapping fits when some file has every column it needs (the header suggests the mapping)
      const mappings = candidates.map(({ spec, saved }) => ({
        name: String(spec.name),
        description: String(spec.description ?? ""),
        saved,
        fits: files.some((file) => ((spec.columns ?? []) as string[]).every((c) => file.columns.includes(c))),
        spec,
      }));
      mappings.sort((a, b) => Number(b.fits) - Number(a.fits));
      return { files, mappings };
    }),

  /** What importing would do now: everything written in a transaction, counted, and rolled back. */
  dryRun: adminProcedure
    .input(z.object({ uploadId, mapping: mappingChoice }))
    .output(z.array(summarySchema))
    .mutation(async ({ ctx, input }) => {
      await requireUpload(ctx, input.uploadId);
      const mapping = await resolveMapping(ctx, input.mapping);
      return (await runOnUpload(ctx, input.uploadId, mapping, { dryRun: true })).map(brief);
    }),

  /** Starts the import; `progress` tells how it goes. Each file applies whole or not at all. */
  run: adminProcedure
    .input(z.object({ uploadId, mapping: mappingChoice }))
    .output(z.object({ started: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await requireUpload(ctx, input.uploadId);
      const mapping = await resolveMapping(ctx, input.mapping);
      // One run per upload, even when the button is pressed twice or on two instances
      if (await ctx.kv.increment(`import-run:${input.uploadId}`) !== 1) {
        throw new TRPCError({ code: "CONFLICT", message: "This upload is being imported already" });
      }
      await recordAudit(ctx.db.sql, {
        caller: ctx.caller,
        action: "import.started",
        entityType: "import",
        entityId: null,
        details: { uploadId: input.uploadId, mapping: mapping?.name ?? "native" },
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      const key = progressKey(input.uploadId);
      const write = (progress: Progress) => ctx.kv.set(key, JSON.stringify(progress), progressTtlMs);
      await write({
        state: "running",
        file: null,
        phase: "reading",
        fraction: 0,
        summaries: [],
        error: null,
      });
      let last = 0;
      const started = Date.now();
      const task = runOnUpload(ctx, input.uploadId, mapping, {
        dryRun: false,
        onProgress(progress) {
          // A few writes a second are plenty for a progress bar
          if (Date.now() - last < 250) return;
          last = Date.now();
          write({ state: "running", ...progress, file: basename(progress.file), summaries: [], error: null })
            .catch(
              () => {},
            );
        },
      }).then(async (summaries) => {
        // imported sales get the fraud prior's scores, so a shop at cold start has its operating point at once
        if (importedSales(summaries)) {
          await scoreImportedHistoryWithPrior(ctx);
        }
        await recordAudit(ctx.db.sql, {
          caller: ctx.caller!,
          action: "import.completed",
          entityType: "import",
          entityId: null,
          details: {
            uploadId: input.uploadId,
            mapping: mapping?.name ?? "native",
            seconds: Math.round((Date.now() - started) / 1000),
            files: summaries.map((s) => ({
              file: basename(s.file),
              inserted: s.inserted,
              rejected: s.rejected,
            })),
          },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        await deleteUpload(ctx.db.sql, input.uploadId);
        await write({
          state: "done",
          file: null,
          phase: null,
          fraction: 1,
          summaries: summaries.map(brief),
          error: null,
        });
      }).catch(async (error) => {
        ctx.log.error("import from the browser failed", { uploadId: input.uploadId, error });
        await write({
          state: "failed",
          file: null,
          phase: null,
          fraction: 0,
          summaries: [],
          error: error instanceof Error ? error.message : String(error),
        }).catch(() => {});
      });
      // The request answers now; the import goes on (nothing is applied until each file's transaction commits)
      void task;
      return { started: true };
    }),

  progress: adminProcedure
    .input(z.object({ uploadId }))
    .output(progressSchema)
    .query(async ({ ctx, input }) => {
      const stored = await ctx.kv.get(progressKey(input.uploadId));
      return stored
        ? progressSchema.parse(JSON.parse(stored))
        : { state: "idle", file: null, phase: null, fraction: 0, summaries: [], error: null };
    }),

  /** Saves a mapping (checked against the schema) under its name, for the next import and the CLI. */
  saveMapping: adminProcedure
    .input(z.object({ spec: z.unknown() }))
    .output(z.object({ name: z.string() }))
    .mutation(async ({ ctx, input }) => {
      let spec: MappingSpec;
      try {
        spec = parseMappingSpec(input.spec, "mapping");
      } catch (error) {
        if (error instanceof MappingSpecError) {
          throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
        }
        throw error;
      }
      if (Object.hasOwn(builtInMappings, spec.name)) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `"${spec.name}" is a built-in mapping: choose another name`,
        });
      }
      await ctx.db.sql.begin(async (tx) => {
        await saveMapping(tx, spec.name, input.spec, ctx.caller.userId);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "import.mapping-saved",
          entityType: "import_mapping",
          entityId: null,
          details: { name: spec.name },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
      });
      return { name: spec.name };
    }),
});
