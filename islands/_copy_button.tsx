/// <reference lib="dom" />
import { useState } from "preact/hooks";

/**
 * A button that copies `text` to the clipboard and says so ("Copied"), for secrets shown once. Where
 * the clipboard is refused (no secure context), it selects the text of `selectId` for a manual copy.
 */
export function CopyButton(
  { text, label = "Copy", selectId }: { text: string; label?: string; selectId?: string },
) {
  const [state, setState] = useState<"idle" | "copied" | "select">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      const element = selectId ? document.getElementById(selectId) : null;
      if (element) getSelection()?.selectAllChildren(element);
      setState("select");
    }
  }
  return (
    <button type="button" class="secondary copy-button" onClick={copy} data-testid="copy-button">
      {state === "copied" ? "Copied" : state === "select" ? "Selected: press Ctrl+C" : label}
    </button>
  );
}
