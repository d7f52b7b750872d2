// Runs the built `gt` binary (`npm run build` first) as a child process, the way a user would.
// The child gets the test's environment minus any GT_TOWN, plus whatever `env` adds.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const gtBin = fileURLToPath(new URL('../../dist/bin/gt.js', import.meta.url));

export interface GtResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runGt(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<GtResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'GT_TOWN') env[key] = value;
  }
  const result = await execa('node', [gtBin, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...env, ...opts.env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}
