/** Structured logging: one JSON object per line on stderr, filtered by level. */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields (a request id, a job name) to every line. */
  child(fields: LogFields): Logger;
}

/** Creates a JSON-lines logger writing at or above `level`. */
export function createLogger(level: LogLevel = "info", base: LogFields = {}): Logger {
  function write(lineLevel: LogLevel, message: string, fields?: LogFields) {
    if (rank[lineLevel] < rank[level]) return;
    const line = { time: new Date().toISOString(), level: lineLevel, msg: message, ...base, ...fields };
    console.error(JSON.stringify(line, errorReplacer));
  }
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}

// Errors serialise to {} by default; logs need their message and stack (logs are private, responses are not)
function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === "bigint") return value.toString();
  return value;
}
