// The shape every `gt doctor` check shares: a named check that looks at one thing and reports
// findings (ok | warn | fail, a one-line message, and the exact fix when not ok), and, for the few
// problems that are safe to repair, a repair that says what it did.
import type { Db } from '../db/open.js';

export const checkStatuses = ['ok', 'warn', 'fail'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

export interface Finding {
  check: string;
  status: CheckStatus;
  message: string;
  /** What to do about it; null when ok. */
  fix: string | null;
}

export interface DoctorContext {
  /** The town, or undefined outside one (machine checks only). */
  root: string | undefined;
  env: Record<string, string | undefined>;
  /** The town's database opened read-only, or undefined (no town, or it cannot be opened). */
  db(): Db | undefined;
  /** The rigs the town's database registers. */
  rigs(): string[];
  /** How long an endpoint may take to answer before it counts as unreachable. */
  endpointTimeoutMs: number;
  /** Free space under this warns. */
  diskWarnBytes: number;
}

export interface DoctorCheck {
  name: string;
  /** Needs a town (skipped outside one). */
  town: boolean;
  run(ctx: DoctorContext): Finding[] | Promise<Finding[]>;
  /** Repairs only what is safe; returns one line per thing it did. */
  repair?(ctx: DoctorContext): string[] | Promise<string[]>;
}

export const ok = (check: string, message: string): Finding => ({ check, status: 'ok', message, fix: null });
export const warn = (check: string, message: string, fix: string): Finding => ({
  check,
  status: 'warn',
  message,
  fix,
});
export const fail = (check: string, message: string, fix: string): Finding => ({
  check,
  status: 'fail',
  message,
  fix,
});

export const errorMessage = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n').find((l) => l.trim() !== '') ?? '';
