import type { ComponentChildren } from "preact";

export interface PanelProps {
  title: string;
  /** small text beside the title: a period, a count, "as of" */
  meta?: ComponentChildren;
  /** buttons or links at the right of the header */
  actions?: ComponentChildren;
  /** no padding around the body, for tables and lists that run edge to edge */
  flush?: boolean;
  id?: string;
  class?: string;
  children: ComponentChildren;
}

/** A titled card: the building block of every page (a `<section>` labelled by its heading). */
export function Panel({ title, meta, actions, flush, id, class: extra, children }: PanelProps) {
  const headingId = `${id ?? slug(title)}-title`;
  return (
    <section class={`panel${extra ? ` ${extra}` : ""}`} id={id} aria-labelledby={headingId}>
      <header class="panel-header">
        <h2 id={headingId}>{title}</h2>
        {meta && <span class="muted">{meta}</span>}
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      <div class={flush ? "panel-flush" : "panel-body"}>{children}</div>
    </section>
  );
}

/** The row under a page's `<h1>`: a description on the left, page actions on the right. */
export function PageHeader(
  { children, actions }: { children?: ComponentChildren; actions?: ComponentChildren },
) {
  return (
    <div class="page-header">
      <div class="muted">{children}</div>
      {actions && <div class="page-actions">{actions}</div>}
    </div>
  );
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
