/// <reference lib="dom" />
// Hydrates the islands the server marked: each `[data-island]` element names its component and
// carries its props (superjson: Dates stay Dates); the manifest maps names to content-hashed bundles. Shared by the boot script
// and by LiveRefresh, which re-hydrates the islands of a region it replaced.
import { type ComponentType, h, hydrate, render } from "preact";
import { parseIslandProps } from "../server/shared/island_props.ts";

function manifest(): Record<string, string> {
  const element = document.getElementById("island-manifest");
  return element ? JSON.parse(element.textContent ?? "{}") : {};
}

const started = new WeakSet<HTMLElement>();

/** Hydrates every island under `root` that is not hydrated yet. */
export function hydrateIslands(root: ParentNode = document): void {
  const files = manifest();
  for (const element of root.querySelectorAll<HTMLElement>("[data-island]")) {
    if (started.has(element)) continue;
    const name = element.dataset.island!;
    const url = files[name];
    if (!url) continue;
    started.add(element);
    import(url).then((module: { default: ComponentType<Record<string, unknown>> }) => {
      const props = parseIslandProps(element.dataset.props);
      hydrate(h(module.default, props), element);
      element.dataset.hydrated = "true";
    }).catch((error) => console.error(`Island "${name}" failed to load`, error));
  }
}

/** Unmounts the islands under `root` (their effects end: subscriptions, timers) before it is replaced. */
export function unmountIslands(root: ParentNode): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-island][data-hydrated='true']")) {
    render(null, element);
  }
}
