/// <reference lib="dom" />
// Hydrates the islands the server marked: each `[data-island]` element names its component and
// carries its props; the manifest maps names to content-hashed bundles.
import { type ComponentType, h, hydrate } from "preact";

const manifestElement = document.getElementById("island-manifest");
const manifest: Record<string, string> = manifestElement
  ? JSON.parse(manifestElement.textContent ?? "{}")
  : {};

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const name = element.dataset.island!;
  const url = manifest[name];
  if (!url) continue;
  import(url).then((module: { default: ComponentType<Record<string, unknown>> }) => {
    const props = JSON.parse(element.dataset.props ?? "{}");
    hydrate(h(module.default, props), element);
    element.dataset.hydrated = "true";
  }).catch((error) => console.error(`Island "${name}" failed to load`, error));
}
