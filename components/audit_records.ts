/**
 * An audit entry's record as staff would name it: "Customer CUS-00867 · Henry Baker", "Sale TM-104951",
 * "Alert rule 3". The log keeps the kind and id; the name (`entityName`) is looked up when it is read and is
 * missing for kinds without one or a record deleted since, which then show by kind and id.
 */

// kinds whose words are not their code with spaces
const KIND_WORDS: Record<string, string> = {
  transaction: "Sale",
  api_token: "API token",
};

/** The kind of record in words: `alert_rule` → "Alert rule". */
export function auditRecordKind(entityType: string): string {
  const words = KIND_WORDS[entityType] ?? entityType.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The record cell: kind and name when there is one, else kind and id, else the kind alone. */
export function auditRecordLabel(entry: {
  entityType: string;
  entityId: string | null;
  entityName: string | null;
}): string {
  const kind = auditRecordKind(entry.entityType);
  if (entry.entityName) return `${kind} ${entry.entityName}`;
  return entry.entityId ? `${kind} ${entry.entityId}` : kind;
}
