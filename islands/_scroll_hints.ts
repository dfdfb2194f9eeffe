/// <reference lib="dom" />
// Wide tables scroll sideways inside `.table-scroll`; marking the ones that overflow lets the stylesheet
// show a hint ("scroll for more") and an edge shadow, which a phone user would otherwise never guess.

function mark(element: HTMLElement): void {
  const overflows = element.scrollWidth > element.clientWidth + 1;
  const atEnd = element.scrollLeft + element.clientWidth >= element.scrollWidth - 1;
  element.toggleAttribute("data-overflows", overflows);
  element.toggleAttribute("data-scrolled-to-end", overflows && atEnd);
}

/** Marks every `.table-scroll` now and whenever it, its content or the window changes size. */
export function watchScrollHints(): void {
  const observer = new ResizeObserver((entries) =>
    entries.forEach((entry) => mark(entry.target as HTMLElement))
  );
  const watch = (element: HTMLElement) => {
    if (element.dataset.scrollWatched) return;
    element.dataset.scrollWatched = "true";
    observer.observe(element);
    element.addEventListener("scroll", () => mark(element), { passive: true });
    mark(element);
  };
  document.querySelectorAll<HTMLElement>(".table-scroll").forEach(watch);
  // islands render tables after hydration, and live pages add them later
  new MutationObserver(() => document.querySelectorAll<HTMLElement>(".table-scroll").forEach(watch))
    .observe(document.body, { childList: true, subtree: true });
}
