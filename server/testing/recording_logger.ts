import type { LogFields, Logger, LogLevel } from "../log.ts";

/** A line the app logged, as a test reads it. */
export interface RecordedLine {
  level: LogLevel;
  message: string;
  fields?: LogFields;
}

/**
 * A logger that keeps every line (a child's too) instead of writing it, so a test can tell what the app
 * said: that a stop finished rather than gave up, that a departing client was no error.
 */
export function recordingLogger(): Logger & { lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  const write = (level: LogLevel) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields });
  const logger: Logger & { lines: RecordedLine[] } = {
    lines,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: () => logger,
  };
  return logger;
}
