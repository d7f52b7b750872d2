// The contract every step runner keeps, sandboxed or not: cwd is the worktree, exit codes and output
// come back intact, the environment is explicit and scrubbed, the step leads its own process group,
// and a timeout, an abort or the step's end leaves none of its processes behind.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRunner } from '../../src/sandbox/index.js';
import { makeSandboxTown, processesWith, uniqueSleep } from './fixture.js';
import type { SandboxTown } from './fixture.js';

function pgrpOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

export function runnerContract(runner: SandboxRunner): void {
  describe(`runner contract: ${runner.mode}`, () => {
    let town: SandboxTown;
    beforeAll(async () => {
      town = await makeSandboxTown();
    });

    it('runs in the worktree and returns exit code, stdout and stderr separately', async () => {
      const result = await runner.run(town.spec(), 'pwd; echo oops >&2; exit 7');
      expect(result).toMatchObject({ exitCode: 7, stdout: `${town.worktree}\n`, stderr: 'oops\n' });
      expect(result).toMatchObject({ timedOut: false, aborted: false });
    });

    it('passes the command as one shell argument, quotes and all', async () => {
      const result = await runner.run(town.spec(), `printf '%s|' "a b" 'c;d' "$(echo e)"`);
      expect(result.stdout).toBe('a b|c;d|e|');
    });

    it('streams output to the callbacks as it comes', async () => {
      let out = '';
      let err = '';
      const result = await runner.run(town.spec(), 'for i in 1 2 3; do echo "o$i"; echo "e$i" >&2; done', {
        onStdout: (text) => (out += text),
        onStderr: (text) => (err += text),
      });
      expect(out).toBe('o1\no2\no3\n');
      expect(err).toBe('e1\ne2\ne3\n');
      expect(result.stdout).toBe(out);
    });

    it('gives the step an explicit environment with secret-looking names scrubbed', async () => {
      process.env['GT_SANDBOX_CONTRACT_LEAK'] = 'ours';
      const spec = town.spec({
        env: { STEP_NAME: 'build', API_TOKEN: 't0ken', db_password: 'pw', GITHUB_TOKEN: 'allowed' },
        allowEnv: ['GITHUB_TOKEN'],
      });
      const result = await runner.run(spec, 'env');
      delete process.env['GT_SANDBOX_CONTRACT_LEAK'];
      const names = result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=')[0]);
      expect(result.stdout).toContain('STEP_NAME=build\n');
      expect(result.stdout).toContain('GITHUB_TOKEN=allowed\n');
      expect(result.stdout).toContain('HOME=/tmp\n');
      expect(names).not.toContain('API_TOKEN');
      expect(names).not.toContain('db_password');
      expect(names).not.toContain('GT_SANDBOX_CONTRACT_LEAK');
    });

    it('starts the step as the leader of its own process group', async () => {
      let seen: { pid: number; pgid: number; pgrp: number } | undefined;
      const result = await runner.run(town.spec(), 'true', {
        onSpawn: ({ pid, pgid }) => (seen = { pid, pgid, pgrp: pgrpOf(pid) }),
      });
      expect(seen).toEqual({ pid: result.pid, pgid: result.pid, pgrp: result.pid });
      expect(result.pid).not.toBe(process.pid);
    });

    it('kills the whole process group on timeout', async () => {
      const marker = uniqueSleep();
      const result = await runner.run(town.spec(), `sleep ${marker} & echo started; wait`, {
        timeoutMs: 300,
      });
      expect(result).toMatchObject({ timedOut: true, aborted: false, stdout: 'started\n' });
      expect(result.exitCode).not.toBe(0);
      expect(await processesWith(marker)).toEqual([]);
    });

    it('kills the whole process group on abort', async () => {
      const marker = uniqueSleep();
      const controller = new AbortController();
      const result = await runner.run(town.spec(), `sleep ${marker} & echo ready; wait`, {
        signal: controller.signal,
        onStdout: (text) => {
          if (text.includes('ready')) controller.abort();
        },
      });
      expect(result).toMatchObject({ aborted: true, timedOut: false });
      expect(result.exitCode).not.toBe(0);
      expect(await processesWith(marker)).toEqual([]);
    });

    it('leaves no background job behind when the step ends on its own', async () => {
      const marker = uniqueSleep();
      const result = await runner.run(town.spec(), `sleep ${marker} & echo started`);
      expect(result).toMatchObject({ exitCode: 0, stdout: 'started\n', timedOut: false });
      expect(await processesWith(marker)).toEqual([]);
    });

    it('refuses a worktree that does not exist and a spec that would expose the town', async () => {
      await expect(
        runner.run(town.spec({ worktree: `${town.worktree}-gone` }), 'true'),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(runner.run(town.spec({ worktree: town.root }), 'true')).rejects.toMatchObject({
        code: 'invalid_input',
      });
    });
  });
}
