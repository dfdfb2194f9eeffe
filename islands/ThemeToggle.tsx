/// <reference lib="dom" />
import { useEffect, useState } from "preact/hooks";

/** The theme choices: follow the system setting, or pin light or dark. */
export type ThemeChoice = "system" | "light" | "dark";

export interface ThemeToggleProps {
  /** what the server renders before the browser knows the saved choice */
  initial: ThemeChoice;
}

const storageKey = "techmart-theme";
const order: ThemeChoice[] = ["system", "light", "dark"];
const labels: Record<ThemeChoice, string> = { system: "Auto", light: "Light", dark: "Dark" };

function savedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

// The stylesheet keys the dark palette on <html data-theme>; charts listen for "themechange" to redraw
function applyTheme(choice: ThemeChoice) {
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  globalThis.dispatchEvent(new CustomEvent("themechange", { detail: choice }));
}

/**
 * The theme switch in the top bar: Auto (the system setting), Light, Dark, in turn. The choice is
 * kept in localStorage, so it holds across pages and visits; without JavaScript the system setting rules.
 */
export default function ThemeToggle(props: ThemeToggleProps) {
  const [choice, setChoice] = useState<ThemeChoice>(props.initial);

  useEffect(() => {
    const saved = savedChoice();
    setChoice(saved);
    if (saved !== "system") applyTheme(saved);
  }, []);

  function next() {
    const value = order[(order.indexOf(choice) + 1) % order.length];
    setChoice(value);
    try {
      if (value === "system") localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, value);
    } catch {
      // private browsing may refuse storage; the switch still works for this page
    }
    applyTheme(value);
  }

  return (
    <button
      type="button"
      class="theme-toggle"
      onClick={next}
      data-testid="theme-toggle"
      data-theme-choice={choice}
      aria-label={`Colour theme: ${labels[choice]}. Switch to ${
        labels[order[(order.indexOf(choice) + 1) % 3]]
      }`}
    >
      <span aria-hidden="true">{choice === "dark" ? "☾" : choice === "light" ? "☀" : "◐"}</span>
      {labels[choice]}
    </button>
  );
}
