/// <reference lib="dom" />
import { useEffect, useState } from "preact/hooks";

export interface MenuButtonProps {
  /** id of the navigation it opens and closes */
  controls: string;
}

/**
 * The main navigation's menu button on narrow screens (phones): the navigation folds away behind it
 * once the page runs script; without script the navigation simply stays open, wrapped.
 */
export default function MenuButton(props: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const topbar = document.getElementById(props.controls)?.closest<HTMLElement>(".topbar");
    if (topbar) topbar.dataset.menu = open ? "open" : "closed";
  }, [open]);
  return (
    <button
      type="button"
      class="menu-button secondary"
      aria-controls={props.controls}
      aria-expanded={open ? "true" : "false"}
      data-testid="menu-button"
      onClick={() => setOpen(!open)}
    >
      {open ? "Close menu" : "Menu"}
    </button>
  );
}
