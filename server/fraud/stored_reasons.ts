/** A reason as read back from a transaction's `fraud_reasons` column. */
export interface StoredFraudReason {
  code: string;
  message: string;
  contribution: number;
}

/** Reasons as stored; rows from older imports may hold other shapes, which are skipped rather than failing. */
export function readFraudReasons(value: unknown): StoredFraudReason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((reason) => reason && typeof reason === "object" && typeof reason.code === "string")
    .map((reason) => ({
      code: reason.code,
      message: typeof reason.message === "string" ? reason.message : reason.code,
      contribution: typeof reason.contribution === "number" ? reason.contribution : 0,
    }));
}
