import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { currentStoreFormat, storeSettingsAttributes } from "../../shared/format.ts";
import type { Caller } from "../../trpc/roles.ts";
import type { IslandManifest } from "../../islands/build.ts";
import { collectIslands } from "../../islands/registry.ts";
import type { SiteDefinition } from "./page.ts";

export interface RenderOptions {
  title: string;
  url: URL;
  caller: Caller | null;
  manifest: IslandManifest;
  /** the layout every page sits in (fresh.config.ts) */
  layout: SiteDefinition["layout"];
  /** CSP nonce for the boot script */
  nonce: string;
}

/**
 * Renders a page inside the layout into a complete HTML document. Only pages that use islands get
 * the boot script and the island manifest.
 */
export function renderDocument(page: VNode, options: RenderOptions): string {
  const Layout = options.layout;
  const { result: body, islands } = collectIslands(() =>
    renderToString(
      <Layout title={options.title} url={options.url} caller={options.caller}>
        {page}
      </Layout>,
    )
  );
  const islandFiles = Object.fromEntries(islands.map((name) => [name, options.manifest.files[name]]));
  const boot = islands.length && options.manifest.files._boot
    ? `<script type="application/json" id="island-manifest">${escapeJsonForHtml(islandFiles)}</script>` +
      `<script type="module" nonce="${options.nonce}" src="${options.manifest.files._boot}"></script>`
    : "";
  const preloads = Object.values(islandFiles).map((href) => `<link rel="modulepreload" href="${href}">`).join(
    "",
  );
  const store = currentStoreFormat().settings;
  const storeAttributes = Object.entries(storeSettingsAttributes(store))
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join("");
  return `<!DOCTYPE html><html lang="${
    escapeHtml(store.locale)
  }"${storeAttributes}><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<title>${escapeHtml(options.title)} · TechMart Analytics</title>` +
    `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">` +
    `<link rel="stylesheet" href="/static/styles.css">${preloads}</head>` +
    `<body>${body}${boot}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// JSON inside <script> must not be able to close the element
function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
