import type { ComponentChildren } from "preact";

export interface FilterFormProps {
  /** the page's path: the form submits to it with GET, so the filters land in the URL */
  action: string;
  /** for the form's accessible name ("Filter transactions") */
  label: string;
  /** parameters that are not fields but must survive a new filter (e.g. sort and order) */
  keep?: Record<string, string>;
  /** true when any filter is set: shows "Clear" */
  active?: boolean;
  children: ComponentChildren;
}

/**
 * A filter bar: a GET form, so filters live in the URL, links can be shared and the back button
 * works, all without JavaScript. Submitting drops the page cursor (a new filter starts at page 1).
 */
export function FilterForm({ action, label, keep, active, children }: FilterFormProps) {
  return (
    <form class="filters" method="get" action={action} role="search" aria-label={label}>
      {Object.entries(keep ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <div class="filters-actions">
        <button type="submit">Apply</button>
        {active && <a class="button secondary" href={action}>Clear</a>}
      </div>
    </form>
  );
}
