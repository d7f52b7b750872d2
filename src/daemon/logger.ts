// The daemon's structured logger: one JSON object per line (`ts, level, message, …fields`), with
// child loggers that carry rig, bead or loop names. Injected everywhere; no bare console.
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function fileLogger(file: string, base: Record<string, unknown> = {}): Logger {
  return {
    log(level, message, fields = {}) {
      appendFileSync(
        file,
        JSON.stringify({ ts: new Date().toISOString(), level, message, ...base, ...fields }) + '\n',
      );
    },
    child: (fields) => fileLogger(file, { ...base, ...fields }),
  };
}

export function memoryLogger(
  lines: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [],
): Logger & {
  lines: typeof lines;
} {
  const make = (base: Record<string, unknown>): Logger => ({
    log: (level, message, fields = {}) => lines.push({ level, message, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { lines });
}
