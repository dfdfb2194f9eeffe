import { z } from "zod";

/** The labels an alert is routed and silenced by. */
export const labelNames = ["severity", "type", "category", "product", "rule"] as const;
export type LabelName = (typeof labelNames)[number];
export type AlertLabels = Partial<Record<LabelName, string>>;

/** `label = value`, `label != value`, `label =~ regex` (whole value), `label !~ regex`. */
export const matcherSchema = z.object({
  label: z.enum(labelNames),
  op: z.enum(["=", "!=", "=~", "!~"]).default("="),
  value: z.string().max(200),
}).refine((m) => !m.op.includes("~") || validRegex(m.value), { message: "not a valid regular expression" });
export type Matcher = z.infer<typeof matcherSchema>;
export const matchersSchema = z.array(matcherSchema).max(20);

function validRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Whether one matcher holds for `labels`; a missing label is the empty string, as in Alertmanager. */
export function matches(matcher: Matcher, labels: AlertLabels): boolean {
  const actual = labels[matcher.label] ?? "";
  switch (matcher.op) {
    case "=":
      return actual === matcher.value;
    case "!=":
      return actual !== matcher.value;
    case "=~":
      return new RegExp(`^(?:${matcher.value})$`).test(actual);
    case "!~":
      return !new RegExp(`^(?:${matcher.value})$`).test(actual);
  }
}

/** Every matcher holds (an empty list matches everything). */
export function matchesAll(matchers: readonly Matcher[], labels: AlertLabels): boolean {
  return matchers.every((matcher) => matches(matcher, labels));
}
