/// <reference lib="dom" />
import { useEffect, useState } from "preact/hooks";
import { browserClient, ownMutationPending } from "../client/browser.ts";
import type { PageEventType } from "../server/live/page_changes.ts";
import { hydrateIslands, unmountIslands } from "./_hydrate.ts";

export interface LiveRefreshProps {
  /** the events after which what the page shows may have changed */
  events: PageEventType[];
  /** CSS selectors of the page's regions that are re-read from the server and replaced */
  regions: string[];
  /** a region whose new rows wait behind an "N new" pill while the reader is scrolled down */
  holdWhenScrolled?: string;
}

/** Events closer together than this become one refresh (a burst of sales is one re-read). */
const gatherMs = 250;
/** Scrolled further than this, a held region keeps its rows still and counts the new ones. */
const scrolledPx = 200;
const rowSelector = "tbody tr, ol > li, ul > li, [data-live-row]";

function rowsOf(region: Element): Element[] {
  return [...region.querySelectorAll(rowSelector)];
}

/**
 * An island's outcome message (a success notice or an error), not the page's own status lines
 * (the live indicator, a loading state).
 */
const noticeSelector = '[role="status"]:not(.live-status):not(.state), [role="alert"]';
/** A notice this fresh keeps its region still, so the reader sees it; the region is redrawn after. */
const noticeHoldMs = 6_000;
/** While a region is held, it is tried again this often. */
const retryMs = 1_000;

/** When each notice the reader's actions put on the page last appeared or changed its text. */
const noticeShownAt = new WeakMap<Element, number>();

function noticeOf(node: Node | null): Element | null {
  const element = node instanceof Element ? node : node?.parentElement ?? null;
  return element?.closest(noticeSelector) ?? null;
}

/** Stamps the notices that mutations added or rewrote (by an island, not by a swap of ours). */
function stampNotices(records: MutationRecord[]): void {
  const now = performance.now();
  for (const record of records) {
    const touched = record.type === "characterData" ? [record.target] : [record.target, ...record.addedNodes];
    for (const node of touched) {
      const notice = noticeOf(node);
      if (notice) noticeShownAt.set(notice, now);
      if (node instanceof Element) {
        node.querySelectorAll(noticeSelector).forEach((n) => noticeShownAt.set(n, now));
      }
    }
  }
}

/**
 * True when replacing the region now would lose something of the reader's: typing or a form open in
 * it, the reader's own mutation on its way, a confirmation step waiting for "Yes"/"No", an action's
 * notice shown less than `noticeHoldMs` ago, or an island that says it is acting or editing
 * (`data-live-hold`, on the region or inside it).
 */
function isBusy(region: Element): boolean {
  // the reader's own action is on its way (or just answered): its island must not be unmounted now
  if (ownMutationPending()) return true;
  const active = document.activeElement;
  if (active && region.contains(active) && active.matches("input, textarea, select")) return true;
  if (region.matches("[data-live-hold]")) return true;
  if (
    region.querySelector(
      "details[open] form, dialog[open], form[data-dirty], .confirm-step, [data-live-hold]",
    )
  ) return true;
  const now = performance.now();
  return [...region.querySelectorAll(noticeSelector)].some((notice) =>
    (notice.textContent ?? "").trim() !== "" && now - (noticeShownAt.get(notice) ?? -Infinity) < noticeHoldMs
  );
}

/** Rows of `fresh` that were not in `current` (new or changed). */
function newRows(current: Element, fresh: Element): Element[] {
  const before = new Set(
    rowsOf(current).map((row) => {
      const copy = row.cloneNode(true) as Element;
      copy.classList.remove("live-new");
      return copy.outerHTML;
    }),
  );
  return rowsOf(fresh).filter((row) => !before.has(row.outerHTML));
}

/**
 * One observer of the page's mutations for every LiveRefresh island on it (a page may name several:
 * the Fraud page redraws its model panel on other events than the rest). Each island's swaps must be
 * invisible to it: a swap replaces a region in its parent, whose other notices an observer of its own
 * would take for new ones and keep their regions held for ever.
 */
let noticeObserver: MutationObserver | undefined;
let noticeWatchers = 0;

function watchNotices(): () => void {
  if (noticeWatchers++ === 0) {
    noticeObserver = new MutationObserver(stampNotices);
    noticeObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
  }
  return () => {
    if (--noticeWatchers === 0) {
      noticeObserver?.disconnect();
      noticeObserver = undefined;
    }
  };
}

/**
 * Replaces `current` with `fresh`, highlights the rows that are new, and wakes the islands in it; our
 * own redraw is not a notice the reader just got.
 */
function swap(current: Element, fresh: Element): void {
  const added = new Set(newRows(current, fresh));
  const node = document.importNode(fresh, true);
  const freshRows = rowsOf(fresh);
  rowsOf(node).forEach((row, index) => {
    if (added.has(freshRows[index])) row.classList.add("live-new");
  });
  unmountIslands(current);
  current.replaceWith(node);
  hydrateIslands(node);
  noticeObserver?.takeRecords();
}

/**
 * Keeps a server-rendered page true without a reload: follows the page's events over the live
 * socket (`live.onChange`, resumed after a reconnect from the last event id), re-reads the page from
 * the server after a burst of them, and replaces the named regions, so every page shows the same
 * rendering, filters and rights as on load. New rows are highlighted; while the reader is scrolled
 * down, the held region waits behind an "N new" pill; a region with a form in use, a confirmation
 * step or a fresh notice waits too (`live:held`), and is redrawn once the reader is done with it.
 */
export default function LiveRefresh(props: LiveRefreshProps) {
  const [waiting, setWaiting] = useState(0);
  const [held, setHeld] = useState<{ current: Element; fresh: Element } | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reading = false;
    let again = false;
    let stopped = false;

    function schedule(delay = gatherMs) {
      if (timer === undefined && !stopped) timer = setTimeout(refresh, delay);
    }

    async function refresh() {
      timer = undefined;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        const response = await fetch(location.href, { headers: { Accept: "text/html" } });
        if (!response.ok || stopped) return;
        apply(new DOMParser().parseFromString(await response.text(), "text/html"));
      } catch {
        // offline for a moment: the next event (or the resume after reconnecting) tries again
      } finally {
        reading = false;
        if (again) {
          again = false;
          schedule();
        }
      }
    }

    function apply(page: Document) {
      for (const selector of props.regions) {
        const current = document.querySelector(selector);
        const fresh = page.querySelector(selector);
        if (!current || !fresh) continue;
        if (isBusy(current)) {
          document.dispatchEvent(new CustomEvent("live:held", { detail: { selector } }));
          schedule(retryMs);
          continue;
        }
        if (selector === props.holdWhenScrolled && globalThis.scrollY > scrolledPx) {
          const count = newRows(current, fresh).length;
          if (count > 0) {
            setHeld({ current, fresh });
            setWaiting(count);
            continue;
          }
        }
        swap(current, fresh);
        document.dispatchEvent(new CustomEvent("live:refreshed", { detail: { selector } }));
      }
    }

    const stopWatching = watchNotices();

    const subscription = browserClient().live.onChange.subscribe({ types: props.events }, {
      onData: () => schedule(),
    });
    return () => {
      stopped = true;
      stopWatching();
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [props.events.join(","), props.regions.join(","), props.holdWhenScrolled]);

  if (!held || waiting === 0) return null;
  return (
    <button
      type="button"
      class="live-pill"
      data-testid="live-new-pill"
      onClick={() => {
        if (held.current.isConnected) swap(held.current, held.fresh);
        setHeld(null);
        setWaiting(0);
        globalThis.scrollTo({ top: 0, behavior: "smooth" });
      }}
    >
      {waiting} new
    </button>
  );
}
