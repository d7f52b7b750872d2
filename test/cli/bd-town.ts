// A fresh town for `gt bd` tests, made with the real `gt install`, and shortcuts to run `gt`
// inside it: text, parsed JSON (failing loudly on a non-zero exit), and bead creation.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { GtResult } from '../support/cli.js';
import { runGt } from '../support/cli.js';
import { makeTempDir } from '../support/temp.js';

export interface BdTown {
  root: string;
  /** Runs `gt <args>` with the town's root as cwd (or `cwd`). */
  gt(args: string[], cwd?: string): Promise<GtResult>;
  /** Runs `gt <args> --json`, expects exit 0 and returns the parsed stdout. */
  json<T = unknown>(args: string[], cwd?: string): Promise<T>;
  /** `gt bd create <title> …` and returns the new id. */
  create(title: string, ...args: string[]): Promise<string>;
}

export interface BeadJson {
  id: string;
  title: string;
  status: string;
  priority: number;
  issue_type: string;
  assignee?: string;
  labels?: string[];
  dependencies?: { issue_id: string; depends_on_id: string; type: string; created_by?: string }[];
  [key: string]: unknown;
}

export async function makeBdTown(): Promise<BdTown> {
  const root = join(await makeTempDir('gt-bd'), 'town');
  const installed = await runGt(['install', root]);
  expect(installed.stderr).toBe('');
  expect(installed.exitCode).toBe(0);
  const gt = (args: string[], cwd = root): Promise<GtResult> => runGt(args, { cwd });
  const json = async <T>(args: string[], cwd = root): Promise<T> => {
    const result = await gt([...args, '--json'], cwd);
    if (result.exitCode !== 0)
      throw new Error(`gt ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  const create = async (title: string, ...args: string[]): Promise<string> =>
    (await json<BeadJson>(['bd', 'create', title, ...args])).id;
  return { root, gt, json, create };
}

/** The `{"error": …}` object a failed `--json` command prints on stderr. */
export function jsonError(result: GtResult): { error: string; code?: string } {
  return JSON.parse(result.stderr) as { error: string; code?: string };
}
