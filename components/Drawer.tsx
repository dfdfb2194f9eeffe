import type { ComponentChildren } from "preact";

export interface DrawerProps {
  title: ComponentChildren;
  /** where "Close" goes without JavaScript (the list URL without the `open=` parameter) */
  closeHref: string;
  /** in an island: closes without a page load (the link's default is prevented) */
  onClose?: () => void;
  /** `static` renders in the page flow (server-rendered detail); `overlay` slides over the page */
  mode?: "overlay" | "static";
  /** extra header content, e.g. badges */
  badges?: ComponentChildren;
  testId?: string;
  children: ComponentChildren;
}

/**
 * A side panel for a record's details. Server-rendered pages show it in the flow (`?open=<id>` in
 * the URL, so it is a link); islands show it as an overlay dialog that Escape and the backdrop close.
 * Focus handling (move in, trap, return) belongs to the island that opens it.
 */
export function Drawer(props: DrawerProps) {
  const overlay = (props.mode ?? "overlay") === "overlay";
  const close = (event: Event) => {
    if (!props.onClose) return;
    event.preventDefault();
    props.onClose();
  };
  return (
    <>
      {overlay && <div class="drawer-backdrop" onClick={close} aria-hidden="true" />}
      <section
        class={`drawer${overlay ? "" : " drawer-static"}`}
        role={overlay ? "dialog" : "region"}
        aria-modal={overlay ? "true" : undefined}
        aria-labelledby="drawer-title"
        data-testid={props.testId}
        tabIndex={-1}
      >
        <header class="drawer-header">
          <div>
            <h2 id="drawer-title">{props.title}</h2>
            {props.badges}
          </div>
          <a class="button small secondary" href={props.closeHref} onClick={close} data-drawer-close>
            Close<span class="visually-hidden">details</span>
          </a>
        </header>
        <div class="drawer-body">{props.children}</div>
      </section>
    </>
  );
}
