// Runners that fetch a package and run it, and installs from places no lockfile pins: `npx pkg@1`,
// `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`, `uvx`, `pipx run`, `deno run https://…`,
// `go run mod@version`, and `npm i github:user/repo` / `pip install git+https://…`. Judged from
// the command line: the evaluator reads no file an agent could write (a lockfile is one), and only
// checks that a bare `npx NAME` has its bin in the worktree's node_modules/.bin — then npx runs
// that local program instead of fetching one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedEnv } from '../paths.js';
import { builtin } from '../rule.js';
import type { CommandSubject } from '../subject.js';
import { commandArgs } from '../subject.js';

/** Always download before running. */
const downloaders: Record<string, string | undefined> = {
  bunx: undefined,
  pnpx: undefined,
  uvx: undefined,
  pnpm: 'dlx',
  yarn: 'dlx',
  bun: 'x',
  pipx: 'run',
};

/** A package spec that names something outside the registry by name alone. */
const remoteSpec = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ssh:|hg\+|svn\+|bzr\+)|:\/\//;
/** `user/repo` (a GitHub shorthand), not `@scope/pkg`, `./dir` or `/abs`. */
const githubShorthand = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

const npxValues = [
  '-p',
  '--package',
  '-c',
  '--call',
  '--prefix',
  '--registry',
  '--cache',
  '-w',
  '--workspace',
];

/** `npx [opts] CMD` / `npm exec [opts] -- CMD`: fetches unless CMD is a local bin. */
function npxFetches(args: string[], cwd: string | undefined, env: ResolvedEnv): boolean {
  let command: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--no' || arg === '--no-install' || arg === '--offline') return false;
    if (arg === '-p' || arg === '--package' || arg.startsWith('--package=')) return true;
    if (arg === '--') {
      command = args[i + 1];
      break;
    }
    if (npxValues.includes(arg)) i++;
    else if (!arg.startsWith('-')) {
      command = arg;
      break;
    }
  }
  if (command === undefined) return false;
  if (remoteSpec.test(command) || command.startsWith('@') || command.includes('@')) return true;
  if (command.includes('/')) return githubShorthand.test(command);
  const bins = [cwd, env.worktree].filter((d): d is string => d !== undefined);
  return !bins.some((dir) => existsSync(join(dir, 'node_modules', '.bin', command)));
}

const installVerbs = new Set(['install', 'i', 'in', 'isntall', 'add']);

function installsRemote(c: CommandSubject, args: string[]): boolean {
  const specs = args.filter((a) => !a.startsWith('-'));
  const pip = /^pip\d*(\.\d+)?$/.test(c.name) || (c.name === 'uv' && specs[0] === 'pip');
  const python = /^python\d*(\.\d+)?$/.test(c.name) && args[0] === '-m' && args[1] === 'pip';
  if (pip || python) {
    const pipArgs = pip ? args : args.slice(2);
    if (!pipArgs.includes('install')) return false;
    return pipArgs.some((a) => remoteSpec.test(a) || /^--(index-url|extra-index-url|find-links)/.test(a));
  }
  if (c.name === 'uv' && specs[0] === 'add') return specs.slice(1).some((a) => remoteSpec.test(a));
  if (!['npm', 'pnpm', 'yarn', 'bun'].includes(c.name) || !installVerbs.has(specs[0] ?? '')) return false;
  return specs.slice(1).some((a) => remoteSpec.test(a) || githubShorthand.test(a));
}

function runsRemote(c: CommandSubject, env: ResolvedEnv): boolean {
  const args = commandArgs(c);
  const verb = args.find((a) => !a.startsWith('-'));
  if (Object.hasOwn(downloaders, c.name)) {
    const needed = downloaders[c.name];
    if (needed === undefined || verb === needed) return true;
  }
  if (c.name === 'uv' && verb === 'tool' && args.includes('run')) return true;
  if (c.name === 'npx') return npxFetches(args, c.cwd, env);
  if (c.name === 'npm' && (verb === 'exec' || verb === 'x'))
    return npxFetches(args.slice(args.indexOf(verb) + 1), c.cwd, env);
  if (c.name === 'deno' && verb === 'run') {
    const module = args.slice(args.indexOf('run') + 1).find((a) => !a.startsWith('-'));
    return module !== undefined && /^(https?:|npm:|jsr:)/.test(module);
  }
  if (c.name === 'go' && verb === 'run')
    return args.slice(args.indexOf('run') + 1).some((a) => !a.startsWith('-') && /@/.test(a));
  return installsRemote(c, args);
}

export const remoteCode = builtin(
  'remote-code',
  'ask',
  'npx/npm exec of a package spec (`pkg@1`, `@scope/pkg`, a URL, `user/repo`) or of a name with no bin in node_modules/.bin; pnpm dlx, yarn dlx, bunx, bun x, uvx, uv tool run, pipx run; deno run of a URL, npm: or jsr: module; go run mod@version; npm/yarn/pnpm/bun add or install, pip/uv install of a URL or git spec',
  'this fetches code that no lockfile pins and runs or installs it',
  (s, env) => s.kind === 'command' && runsRemote(s, env),
);
