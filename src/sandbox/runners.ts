// The two ways a step runs: inside bubblewrap (the default, and the only one used unless the policy
// says `sandbox: none`), or directly as our own user for that explicit case. Both share one contract:
// a detached process group, the scrubbed environment, timeouts and aborts that kill everything.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { notFound } from '../errors.js';
import { buildSandboxArgv } from './argv.js';
import { installBubblewrap, sandboxAvailability } from './availability.js';
import { sandboxPath, stepEnv } from './env.js';
import { detectSandboxHost } from './host.js';
import { prepareWorktreeForSandbox } from './ownership.js';
import { checkSpec, defaultSandboxIds } from './spec.js';
import type { SandboxSpec } from './spec.js';
import { supervise } from './supervise.js';
import type { RunOptions, StepResult } from './supervise.js';

export const SandboxMode = { bubblewrap: 'bubblewrap', none: 'none' } as const;
export type SandboxMode = (typeof SandboxMode)[keyof typeof SandboxMode];

export interface SandboxRunner {
  readonly mode: SandboxMode;
  run(spec: SandboxSpec, command: string, options?: RunOptions): Promise<StepResult>;
}

async function checkWorktree(spec: SandboxSpec): Promise<void> {
  checkSpec(spec);
  const found = await stat(spec.worktree).catch(() => undefined);
  if (!found?.isDirectory()) throw notFound('worktree', spec.worktree);
}

/**
 * Runs `command` with `/bin/sh -c` inside bubblewrap under `spec`. As root, first hands the worktree
 * to the sandbox uid (see `prepareWorktreeForSandbox`). A non-zero exit is a result, not an error;
 * an invalid spec or a missing bwrap throws.
 */
export async function runSandboxed(
  spec: SandboxSpec,
  command: string,
  options: RunOptions = {},
): Promise<StepResult> {
  await checkWorktree(spec);
  const host = detectSandboxHost();
  if (host.runningAsRoot) await prepareWorktreeForSandbox(spec.worktree, spec.ids ?? defaultSandboxIds);
  const argv = buildSandboxArgv(spec, command, { host, infoFd: 3 });
  const env = { PATH: process.env['PATH'] ?? sandboxPath };
  return supervise(
    { ...argv, cwd: resolve(spec.worktree), env, infoFd: true, installHint: installBubblewrap },
    options,
  );
}

export const sandboxRunner: SandboxRunner = { mode: SandboxMode.bubblewrap, run: runSandboxed };

/**
 * Runs `command` with `/bin/sh -c` in the worktree as our own user, with no isolation at all: only
 * the explicit, scrubbed environment and the process-group handling. For `sandbox: none` only.
 */
export const directRunner: SandboxRunner = {
  mode: SandboxMode.none,
  run: async (spec, command, options = {}) => {
    await checkWorktree(spec);
    const env = stepEnv(spec.env, spec.allowEnv);
    return supervise(
      { file: '/bin/sh', args: ['-c', command], cwd: resolve(spec.worktree), env, infoFd: false },
      options,
    );
  },
};

export type RunnerChoice =
  { ok: true; runner: SandboxRunner } | { ok: false; reason: string; install?: string };

/** The runner for a policy's `sandbox` setting; bubblewrap that is not available is refused, never downgraded. */
export function pickRunner(mode: SandboxMode): RunnerChoice {
  if (mode === SandboxMode.none) return { ok: true, runner: directRunner };
  const availability = sandboxAvailability();
  if (availability.available) return { ok: true, runner: sandboxRunner };
  return {
    ok: false,
    reason: `steps need a sandbox and ${availability.reason ?? 'bubblewrap is unavailable'}; set sandbox: none in policy.yaml to run them unsandboxed`,
    ...(availability.install === undefined ? {} : { install: availability.install }),
  };
}
