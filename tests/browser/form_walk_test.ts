// Every form of every page (the drawers and folded sections opened), given bad input of each kind:
// empty, negative, too large, the wrong type, SQL fragments and huge text. Each answer must be in
// plain words (no JSON, no validation library's text, no amounts in minor units), no request may
// fail with a 5xx, and a form that shows a refusal must have written nothing (no audit row: every
// write of business data or access writes one).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { site } from "../../fresh.config.ts";
import type { Sql } from "../../server/db/mod.ts";
import type { TestApp } from "../../server/testing/test_app.ts";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { settle, watchRequests } from "./_settle.ts";
import { signIn } from "./_sign_in.ts";
import { assertNoDeveloperText } from "./_user_words.ts";

/** One round of bad input: what number fields get, and what every other text field gets. */
interface BadRound {
  kind: string;
  number: string;
  text: string;
}

const rounds: BadRound[] = [
  { kind: "empty", number: "", text: "" },
  { kind: "negative, SQL fragment", number: "-5", text: "-5'); drop table products; --" },
  { kind: "too large, huge text", number: "99999999999999999999", text: "x".repeat(100_000) },
  { kind: "wrong type", number: "1.5", text: "twelve" },
];

const refusal = '[role="alert"], .field-error, .form-error, .form-message.error';

/**
 * Opens every folded section, so the forms inside them are there to fill, and picks one form of each
 * kind: a form repeated on every row (approve a suggestion, receive an order) is one form, walked once.
 * @returns how many forms the page has, and the indices of the first of each kind
 */
async function unfold(page: Page): Promise<{ count: number; kinds: number[] }> {
  return await page.evaluate(() => {
    document.querySelectorAll("main details").forEach((d) => (d as HTMLDetailsElement).open = true);
    const forms = [...document.querySelectorAll("main form")];
    const seen = new Set<string>();
    const kinds: number[] = [];
    forms.forEach((form, index) => {
      const typed = form.querySelectorAll(
        'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="file"]), textarea',
      );
      if (typed.length === 0) return; // buttons only: nothing to type wrong
      const island = form.closest("[data-island]")?.getAttribute("data-island") ?? "page";
      const names = [...form.querySelectorAll("[name]")].map((f) =>
        f.getAttribute("name")!.replace(/\d+/g, "N")
      );
      const kind = `${island}|${(form.getAttribute("data-testid") ?? "").replace(/\d+/g, "N")}|${
        names.join(",")
      }`;
      if (!seen.has(kind)) kinds.push(index);
      seen.add(kind);
    });
    return { count: forms.length, kinds };
  });
}

/** Fills every field of the `index`th form of the page with the round's values, as typed input. */
async function fill(page: Page, index: number, round: BadRound): Promise<string> {
  return await page.evaluate(({ index, round }) => {
    const form = document.querySelectorAll("main form")[index] as HTMLFormElement;
    const skipped = ["hidden", "submit", "button", "checkbox", "radio", "file", "reset", "image"];
    for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")) {
      if (skipped.includes(field.type) || field.disabled || field.readOnly) continue;
      const value = field.type === "number" ? round.number : round.text;
      // typed or pasted, as a person would: a field's maxlength stops the rest
      field.value = field.maxLength > 0 ? value.slice(0, field.maxLength) : value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    const name = form.getAttribute("data-testid") ?? form.getAttribute("aria-label") ??
      form.closest("[data-island]")?.getAttribute("data-island") ?? "form";
    return `${name} #${index}`;
  }, { index, round });
}

/** Submits the `index`th form as a user would: its submit button, then "Yes" if it asks to confirm. */
async function submit(page: Page, index: number): Promise<void> {
  const form = page.locator("main form").nth(index);
  const button = form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first();
  // behind an open drawer a button cannot be clicked: the form is sent the way its button would send it.
  // Asked first (what is under the button's middle), rather than found by a click timing out each round.
  const sendWithoutClick = () => form.evaluate((f) => (f as HTMLFormElement).requestSubmit());
  const clickable = async () =>
    await button.count() > 0 && await button.isEnabled() && await button.evaluate((b) => {
      b.scrollIntoView({ block: "center" });
      const box = b.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && b.contains(hit);
    });
  const send = async () => {
    if (await clickable()) await button.click({ timeout: 3_000 }).catch(sendWithoutClick);
    else await sendWithoutClick();
  };
  // a form outside an island is a plain GET or POST: it loads a new page
  // (unless the browser refuses it first: then its own message shows and nothing is sent)
  const plain = await form.evaluate((f) =>
    f.closest("[data-island]") === null &&
    ((f as HTMLFormElement).noValidate || (f as HTMLFormElement).checkValidity())
  );
  if (plain) await Promise.all([page.waitForEvent("load", { timeout: 15_000 }), send()]);
  else await send();
  await settle(page);
  const yes = page.locator('main [data-testid="confirm-yes"]');
  if (await yes.count() > 0) {
    await yes.first().click();
    await settle(page);
  }
}

/** Opens `url` again after a failure, waiting out a navigation the form itself started. */
async function reopen(page: Page, url: string): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      await page.goto(url);
      await settle(page);
      return;
    } catch (error) {
      if (attempt >= 2) throw error;
      await page.waitForLoadState("load").catch(() => {});
    }
  }
}

/** One form, one round: fill, send, and what went wrong (developer text, a refusal that wrote). */
async function walkOnce(
  page: Page,
  walk: { app: TestApp; sql: Sql; path: string; index: number; forms: number; round: BadRound },
): Promise<string[]> {
  const { app, sql, path, index, forms, round } = walk;
  const failures: string[] = [];
  // a form that went away (a drawer closed, a list changed) comes back with the page
  if ((await unfold(page)).count !== forms) {
    await reopen(page, `${app.url}${path}`);
    await unfold(page);
  }
  const [{ before }] = await sql`select count(*)::int as before from audit_log`;
  const name = await fill(page, index, round);
  await submit(page, index);
  const where = `${path} ${name} (${round.kind})`;
  try {
    assertNoDeveloperText(await page.locator("main").innerText({ timeout: 10_000 }), where);
  } catch (error) {
    failures.push(`${where}, at ${page.url()}: ${(error as Error).message.slice(0, 400)}`);
  }
  // a refusal of this form: in the form, or in the island it belongs to
  const refused = await page.evaluate(({ index, refusal }) => {
    const form = document.querySelectorAll("main form")[index];
    const scope = form?.closest("[data-island]") ?? form;
    return [...(scope?.querySelectorAll(refusal) ?? [])]
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.textContent?.trim())
      .map((el) => el.textContent!.trim().slice(0, 120))
      .join(" / ");
  }, { index, refusal });
  const written = await sql<{ action: string }[]>`select action from audit_log order by id offset ${before}`;
  if (refused && written.length > 0) {
    failures.push(`${where} refused ("${refused}") but wrote ${written.map((w) => w.action).join(", ")}`);
  }
  return failures;
}

browserTest(
  "every form, given empty, negative, too large, wrong-type, SQL and huge input, answers in plain words and writes nothing half",
  startSampleApp,
  async (app, browser) => {
    const { sql } = app.services.db;
    const [{ product }] = await sql`select min(id)::int as product from products`;
    const [{ sale }] = await sql`select min(id)::int as sale from transactions where status = 'completed'`;
    const paths = [
      ...new Set(
        site.routes.map((route) => route.path.replace(/:id\{[^}]+\}/, String(sale))).filter((p) =>
          p !== "/login"
        ),
      ),
      `/products?edit=${product}`,
      "/alerts?tab=policies",
      "/alerts?tab=contact-points",
      "/alerts?tab=silences",
    ];
    const failures: string[] = [];
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    watchRequests(page);
    page.on("response", (response) => {
      if (response.status() >= 500) failures.push(`${response.status()} from ${response.url()}`);
    });
    await signIn(page, app.url, "admin", "/");
    let walked = 0;
    for (const path of paths) {
      await reopen(page, `${app.url}${path}`);
      const { count: forms, kinds } = await unfold(page);
      for (const index of kinds) {
        for (const round of rounds) {
          try {
            failures.push(...await walkOnce(page, { app, sql, path, index, forms, round }));
          } catch (error) {
            // a form that reloads the page after saving is fine; anything else is noted, and on
            const message = (error as Error).message;
            if (!/Execution context was destroyed|interrupted by another navigation/.test(message)) {
              failures.push(
                `${path} form #${index} (${round.kind}): ${message.split("\n")[0]}`,
              );
            }
            await reopen(page, `${app.url}${path}`);
          }
          walked++;
        }
      }
    }
    if (failures.length) console.error(failures.join("\n\n"));
    assert.deepEqual(failures, []);
    assert.ok(walked >= 30, `walked ${walked} form submissions`);
  },
  { embeddedOnly: true },
);
