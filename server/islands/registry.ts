import { type ComponentType, h, options, type VNode } from "preact";
import { serializeIslandProps } from "../shared/island_props.ts";

/** Islands folder: each declared island is `<Name>.tsx` there; `_*.ts` files are private helpers. */
export const islandsDir = new URL("../../islands/", import.meta.url);

const islandNames = new Map<ComponentType<never>, string>();
let collected: Set<string> | undefined;
let creatingInner = false;

/** Lists the island files' names (without extension), sorted: what fresh.config.ts should declare. */
export async function listIslandNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(islandsDir)) {
    const match = /^([A-Z][A-Za-z0-9]*)\.tsx$/.exec(entry.name);
    if (entry.isFile && match) names.push(match[1]);
  }
  return names.sort();
}

/**
 * Marks the declared islands (fresh.config.ts), so the server renders each inside a marker element
 * carrying its name and props, which the browser's boot script hydrates.
 */
export function registerIslands(islands: Record<string, ComponentType<never>>): string[] {
  for (const [name, component] of Object.entries(islands)) islandNames.set(component, name);
  return Object.keys(islands).sort();
}

function IslandMarker(
  { island, component, props }: {
    island: string;
    component: ComponentType<never>;
    props: Record<string, unknown>;
  },
): VNode<unknown> {
  collected?.add(island);
  // The inner vnode must not be wrapped again by the hook below
  creatingInner = true;
  const inner = h(component, props as never);
  creatingInner = false;
  return h(
    "div",
    { class: "island", "data-island": island, "data-props": serializeIslandProps(props) },
    inner,
  ) as VNode<
    unknown
  >;
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode) => {
  const island = typeof vnode.type === "function"
    ? islandNames.get(vnode.type as ComponentType<never>)
    : undefined;
  if (island && !creatingInner) {
    const { children: _children, ...props } = vnode.props as Record<string, unknown>;
    vnode.props = { island, component: vnode.type, props } as unknown as typeof vnode.props;
    vnode.type = IslandMarker as typeof vnode.type;
  }
  previousVnodeHook?.(vnode);
};

/** Runs a synchronous render and returns the names of the islands it used. */
export function collectIslands<T>(render: () => T): { result: T; islands: string[] } {
  collected = new Set();
  try {
    const result = render();
    return { result, islands: [...collected] };
  } finally {
    collected = undefined;
  }
}
