import type { Condition, ValueSpec } from "./mapping_spec.ts";

/** One CSV row: cells by column name. */
export type Fields = Record<string, string>;

/** Reads a cell as a number: plain decimals, with an optional thousands separator (1,234.50). */
export function readNumber(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return Number.NaN;
  // Called several times per row on large files: regular expressions only for the rare shapes
  const plain = trimmed.includes(",") && /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed)
    ? trimmed.replaceAll(",", "")
    : trimmed;
  const value = Number(plain);
  if (!Number.isFinite(value)) return Number.NaN;
  // Number() also reads 0x1F, 0b1 and 0o7: not how a shop writes amounts
  const second = plain.charCodeAt(plain[0] === "-" || plain[0] === "+" ? 2 : 1) | 0x20;
  if (plain.includes("0") && (second === 0x78 || second === 0x62 || second === 0x6f)) return Number.NaN;
  return value;
}

/** One row's cells in the slots a `RowLayout` gave the columns a mapping reads. */
export type Cells = readonly string[];

/**
 * The columns a compiled mapping reads, each given a fixed slot when the mapping is compiled: a row
 * is copied into its cells once (one lookup by name per column), and every rule then reads cells by
 * index instead of looking columns up by name again and again. Cells read as numbers are parsed once
 * per distinct text: rules read the same few cells (price, quantity) several times a row, and the same
 * texts recur over rows.
 */
export class RowLayout {
  /** Column names by slot. */
  readonly columns: string[] = [];
  #slots = new Map<string, number>();
  #numbers = new Map<number, (cells: Cells) => number>();

  #tracked: Set<number> | null = null;

  /** The slot of `column`, given out now if it has none. */
  slot(column: string): number {
    let slot = this.#slots.get(column);
    if (slot === undefined) {
      slot = this.columns.length;
      this.columns.push(column);
      this.#slots.set(column, slot);
    }
    this.#tracked?.add(slot);
    return slot;
  }

  /** Runs `compile` and returns what it built with the slots of the columns it reads. */
  tracking<T>(compile: () => T): { result: T; slots: number[] } {
    const outer = this.#tracked;
    const tracked = new Set<number>();
    this.#tracked = tracked;
    try {
      const result = compile();
      return { result, slots: [...tracked] };
    } finally {
      if (outer) { for (const slot of tracked) outer.add(slot); }
      this.#tracked = outer;
    }
  }

  /** Copies the row's cells into `cells` (a buffer reused from row to row); a missing column reads "". */
  read(fields: Fields, cells: string[]): string[] {
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) cells[i] = fields[columns[i]] ?? "";
    return cells;
  }

  /** A reader of `column` as a number (`readNumber`), parsing again only when the cell's text changes. */
  number(column: string): (cells: Cells) => number {
    const slot = this.slot(column);
    let reader = this.#numbers.get(slot);
    if (!reader) {
      let lastText: string | undefined;
      let lastValue = Number.NaN;
      reader = (cells) => {
        const text = cells[slot];
        if (text !== lastText) {
          lastText = text;
          lastValue = readNumber(text);
        }
        return lastValue;
      };
      this.#numbers.set(slot, reader);
    }
    return reader;
  }
}

/** Compiles a condition once into a test of rows (regular expressions built once, not per row). */
export function compileCondition(condition: Condition, layout: RowLayout): (cells: Cells) => boolean {
  const tests: ((cells: Cells) => boolean)[] = [];
  if (condition.all) {
    const parts = condition.all.map((part) => compileCondition(part, layout));
    tests.push(every(parts));
  }
  if (condition.any) {
    const parts = condition.any.map((part) => compileCondition(part, layout));
    tests.push((cells) => {
      for (const test of parts) if (test(cells)) return true;
      return false;
    });
  }
  if (condition.not) {
    const inner = compileCondition(condition.not, layout);
    tests.push((cells) => !inner(cells));
  }
  const column = condition.column;
  if (column !== undefined) {
    const slot = layout.slot(column);
    if (condition.matches !== undefined) {
      const pattern = new RegExp(condition.matches);
      tests.push((cells) => pattern.test(cells[slot]));
    }
    if (condition.in !== undefined) {
      const values = new Set(condition.in);
      tests.push((cells) => values.has(cells[slot]));
    }
    if (condition.empty !== undefined) {
      const wanted = condition.empty;
      tests.push((cells) => (cells[slot].trim() === "") === wanted);
    }
    // One numeric test for all the bounds, on the cell read (and remembered) once
    const { below, atMost, above, atLeast } = condition;
    if (below !== undefined || atMost !== undefined || above !== undefined || atLeast !== undefined) {
      const number = layout.number(column);
      tests.push((cells) => {
        const value = number(cells);
        return !Number.isNaN(value) &&
          (below === undefined || value < below) &&
          (atMost === undefined || value <= atMost) &&
          (above === undefined || value > above) &&
          (atLeast === undefined || value >= atLeast);
      });
    }
  }
  if (tests.length === 0) throw new Error("A condition needs a column test or all/any/not");
  return tests.length === 1 ? tests[0] : every(tests);
}

function every(tests: readonly ((cells: Cells) => boolean)[]): (cells: Cells) => boolean {
  return (cells) => {
    for (const test of tests) if (!test(cells)) return false;
    return true;
  };
}

/**
 * Fills `{Column}` placeholders from the row; `{Column|number}` writes the cell as a number
 * (0.0 -> 0), so reasons read the same whatever the export's number style.
 */
export function compileTemplate(template: string, layout: RowLayout): (cells: Cells) => string {
  const parts = template.split(/(\{[^{}]+\})/).filter((part) => part !== "");
  const pieces = parts.map((part) => {
    const placeholder = /^\{([^{}|]+)(\|number)?\}$/.exec(part);
    if (!placeholder) return part;
    const [, column, asNumber] = placeholder;
    if (!asNumber) {
      const slot = layout.slot(column);
      return (cells: Cells) => cells[slot];
    }
    const number = layout.number(column);
    return (cells: Cells) => String(number(cells));
  });
  if (pieces.length === 0) return () => "";
  // The common shapes without a loop: a constant, one cell, or text before one cell
  if (pieces.length === 1) {
    const [only] = pieces;
    return typeof only === "string" ? () => only : only;
  }
  if (pieces.length === 2 && typeof pieces[0] === "string" && typeof pieces[1] !== "string") {
    const [prefix, cell] = pieces as [string, (cells: Cells) => string];
    return (cells) => prefix + cell(cells);
  }
  return (cells) => {
    let text = "";
    for (const piece of pieces) text += typeof piece === "string" ? piece : piece(cells);
    return text;
  };
}

/** Names of the columns a template reads. */
export function templateColumns(template: string): string[] {
  return [...template.matchAll(/\{([^{}|]+)(\|number)?\}/g)].map((match) => match[1]);
}

const transforms: Record<string, (value: string) => string> = {
  trim: (value) => value.trim(),
  upper: (value) => value.toUpperCase(),
  lower: (value) => value.toLowerCase(),
  integer: (value) => value.replace(/^(-?\d+)\.0*$/, "$1"),
  abs: (value) => value.replace(/^\s*[-+]/, ""),
  negate: (value) => value.startsWith("-") ? value.slice(1) : value === "" ? value : `-${value}`,
};

/** Why a row cannot be read (a value outside a mapping's `mapOnly` map). */
export class Rejection {
  constructor(readonly reason: string) {}
}

/** What a value spec gives for one row: the text, or why the row is rejected (rare: a plain string is cheap). */
export type ValueResult = string | Rejection;

/** Answers remembered per value by keywords and maps: exports repeat the same values on many rows. */
const REMEMBERED_VALUES = 100_000;

/**
 * Compiles one field's value spec (see valueSchema for the order in which its parts apply) into a
 * reader of rows that does only the parts the spec has: a plain column is one cell read. `finish`
 * is applied to the text last (the mapper trims every field).
 */
export function compileValue(
  spec: ValueSpec,
  field: string,
  layout: RowLayout,
  finish?: (value: string) => string,
): (cells: Cells) => ValueResult {
  const tracked = layout.tracking(() => compileValueReader(spec, field, layout));
  const { slots } = tracked;
  const reader = tracked.result;
  const read = finish
    ? (cells: Cells): ValueResult => {
      const value = reader(cells);
      return typeof value === "string" ? finish(value) : value;
    }
    : reader;
  if (slots.length !== 1) return read;
  // A value is a pure function of the cells it reads, and exports repeat order-level cells (invoice,
  // customer, country, time) on consecutive rows: with one such cell, the last answer is kept.
  const [slot] = slots;
  let lastText: string | undefined;
  let lastValue: ValueResult = "";
  return (cells) => {
    const text = cells[slot];
    if (text !== lastText) {
      lastValue = read(cells);
      lastText = text;
    }
    return lastValue;
  };
}

function compileValueReader(
  spec: ValueSpec,
  field: string,
  layout: RowLayout,
): (cells: Cells) => ValueResult {
  const slot = spec.column !== undefined ? layout.slot(spec.column) : -1;
  const source: (cells: Cells) => string = slot >= 0
    ? (cells) => cells[slot]
    : spec.template !== undefined
    ? compileTemplate(spec.template, layout)
    : ((constant: string) => () => constant)(spec.value ?? "");
  const steps = (spec.transform ?? []).map((name) => transforms[name]);
  const cases = (spec.cases ?? []).map((c) => ({
    when: compileCondition(c.when, layout),
    value: compileTemplate(c.value, layout),
  }));
  const keywords = (spec.keywords ?? []).map((k) => ({
    pattern: new RegExp(k.pattern, "i"),
    value: k.value,
  }));
  const map = spec.map ? new Map(Object.entries(spec.map)) : undefined;
  const fallback = spec.default;
  if (steps.length === 0 && cases.length === 0 && keywords.length === 0 && !map && fallback === undefined) {
    return source;
  }
  if (steps.length === 1 && cases.length === 0 && keywords.length === 0 && !map && fallback === undefined) {
    const [step] = steps;
    return (cells) => step(source(cells));
  }
  const mapLower = spec.map
    ? new Map(Object.entries(spec.map).map(([key, value]) => [key.toLowerCase(), value]))
    : undefined;
  // Keyword matching and case-insensitive map lookups are the slow parts and values repeat: remember answers
  const keywordCache = new Map<string, string>();
  const mapCache = new Map<string, string | null>();
  return (cells) => {
    let value = source(cells);
    for (let i = 0; i < steps.length; i++) value = steps[i](value);
    for (let i = 0; i < cases.length; i++) {
      if (cases[i].when(cells)) {
        value = cases[i].value(cells);
        break;
      }
    }
    if (keywords.length > 0 && value !== "") {
      let found = keywordCache.get(value);
      if (found === undefined) {
        found = keywords.find((k) => k.pattern.test(value))?.value ?? value;
        if (keywordCache.size < REMEMBERED_VALUES) keywordCache.set(value, found);
      }
      value = found;
    }
    if (map && value !== "") {
      let mapped = mapCache.get(value);
      if (mapped === undefined) {
        mapped = map.get(value) ?? mapLower!.get(value.toLowerCase()) ?? null;
        if (mapCache.size < REMEMBERED_VALUES) mapCache.set(value, mapped);
      }
      if (mapped !== null) value = mapped;
      else if (spec.mapOnly) {
        return new Rejection(`${field}: "${value}" is not one of ${[...map.keys()].join(", ")}`);
      }
    }
    if (fallback !== undefined && value.trim() === "") value = fallback;
    return value;
  };
}

/**
 * The value a spec gives on every row, when it reads no cell (a constant with transforms, keywords,
 * map and default, but no cases); undefined when it depends on the row or rejects.
 */
export function constantValue(spec: ValueSpec, field: string): string | undefined {
  if (spec.column !== undefined || spec.template !== undefined || (spec.cases ?? []).length > 0) {
    return undefined;
  }
  const value = compileValue(spec, field, new RowLayout())([]);
  return typeof value === "string" ? value : undefined;
}
