import type { ComponentChildren } from "preact";

interface FieldFrame {
  /** the visible label */
  label: string;
  /** the form field's name (also the base of its id) */
  name: string;
  /** the message for this field (from the shared zod schema or the server); marks it invalid */
  error?: string;
  /** a short help text under the control */
  hint?: string;
  /** prefix for the id when one page has two forms with the same field names */
  idPrefix?: string;
  /** extra class on the wrapper (e.g. "wide" in a filter bar) */
  class?: string;
}

/** Ids of a field's control, hint and error, so labels and descriptions are wired for screen readers. */
export function fieldIds(name: string, idPrefix = "field"): { control: string; hint: string; error: string } {
  const base = `${idPrefix}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return { control: base, hint: `${base}-hint`, error: `${base}-error` };
}

function describedBy(ids: ReturnType<typeof fieldIds>, hint?: string, error?: string): string | undefined {
  return [hint ? ids.hint : "", error ? ids.error : ""].filter(Boolean).join(" ") || undefined;
}

function Frame(
  { frame, ids, children }: {
    frame: FieldFrame;
    ids: ReturnType<typeof fieldIds>;
    children: ComponentChildren;
  },
) {
  return (
    <div class={`field${frame.class ? ` ${frame.class}` : ""}`}>
      <label for={ids.control}>{frame.label}</label>
      {children}
      {frame.hint && <span class="field-hint" id={ids.hint}>{frame.hint}</span>}
      {frame.error && <span class="field-error" id={ids.error}>{frame.error}</span>}
    </div>
  );
}

/** The attributes a form control passes through (validation constraints, events, state). */
export interface ControlAttributes {
  value?: string | number;
  defaultValue?: string | number;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  autoComplete?: string;
  autoFocus?: boolean;
  onInput?: (event: Event) => void;
  onChange?: (event: Event) => void;
  "data-testid"?: string;
}

export type InputFieldProps = FieldFrame & ControlAttributes & {
  type?: "text" | "search" | "number" | "date" | "datetime-local" | "email" | "password" | "url" | "tel";
  min?: string | number;
  max?: string | number;
  step?: string | number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  inputMode?: "none" | "text" | "decimal" | "numeric" | "tel" | "search" | "email" | "url";
  list?: string;
};

/** A labelled `<input>` with its hint and error message wired by `aria-describedby`. */
export function InputField(props: InputFieldProps) {
  const { label, name, error, hint, idPrefix, class: extra, ...input } = props;
  const ids = fieldIds(name, idPrefix);
  return (
    <Frame frame={{ label, name, error, hint, class: extra }} ids={ids}>
      <input
        {...(input as object)}
        id={ids.control}
        name={name}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(ids, hint, error)}
      />
    </Frame>
  );
}

/** One choice of a select: its value and what the user reads. */
export interface SelectOption {
  value: string;
  label: string;
}

export type SelectFieldProps =
  & FieldFrame
  & Omit<ControlAttributes, "value" | "placeholder">
  & {
    options: SelectOption[];
    value?: string;
    /** a first option with an empty value ("All statuses") */
    emptyLabel?: string;
  };

/** A labelled `<select>`; `emptyLabel` adds an "any" choice for filters. */
export function SelectField(props: SelectFieldProps) {
  const { label, name, error, hint, idPrefix, class: extra, options, value, emptyLabel, ...select } = props;
  const ids = fieldIds(name, idPrefix);
  return (
    <Frame frame={{ label, name, error, hint, class: extra }} ids={ids}>
      <select
        {...(select as object)}
        id={ids.control}
        name={name}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(ids, hint, error)}
      >
        {emptyLabel !== undefined && <option value="" selected={!value}>{emptyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export type TextAreaFieldProps = FieldFrame & Omit<ControlAttributes, "value"> & {
  value?: string;
  rows?: number;
  maxLength?: number;
};

/** A labelled `<textarea>` (a reason, a note). */
export function TextAreaField(props: TextAreaFieldProps) {
  const { label, name, error, hint, idPrefix, class: extra, ...area } = props;
  const ids = fieldIds(name, idPrefix);
  return (
    <Frame frame={{ label, name, error, hint, class: extra }} ids={ids}>
      <textarea
        {...(area as object)}
        id={ids.control}
        name={name}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(ids, hint, error)}
      />
    </Frame>
  );
}

/** A checkbox with its label beside it (e.g. "Suspicious only" in a filter bar). */
export function CheckField(
  props: { label: string; name: string; checked?: boolean; value?: string; idPrefix?: string },
) {
  const ids = fieldIds(props.name, props.idPrefix);
  return (
    <label class="field-check" for={ids.control}>
      <input
        type="checkbox"
        id={ids.control}
        name={props.name}
        value={props.value ?? "true"}
        checked={props.checked}
      />
      {props.label}
    </label>
  );
}

/**
 * The outcome of a form: the server's (or the schema's) message in red, announced at once, or a
 * confirmation in green, announced politely. Renders nothing without a message.
 */
export function FormMessage({ kind, children }: { kind: "error" | "ok"; children?: ComponentChildren }) {
  if (children === undefined || children === null || children === "") return null;
  return (
    <p
      class={`form-message ${kind}`}
      role={kind === "error" ? "alert" : "status"}
      data-testid={`form-${kind}`}
    >
      {children}
    </p>
  );
}
