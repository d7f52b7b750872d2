// Reaching the network asks: fetch tools, remote shells, git's remote commands and publishing.
// `npm install` / `npm ci` fetch too, but only into the worktree, so they stay allowed.
import { parseGit } from '../git.js';
import { builtin } from '../rule.js';
import { commandArgs } from '../subject.js';
import { fetchers } from './code.js';

// Every tool that brings bytes in (`fetchers`) plus lookups and remote shells; `rsync` is left out
// because it mostly copies between local paths.
const networkCommands = new Set([
  ...[...fetchers].filter((name) => name !== 'rsync'),
  'telnet',
  'sftp',
  'ping',
  'dig',
  'nslookup',
  'host',
  'whois',
]);
const gitRemote = new Set([
  'push',
  'fetch',
  'pull',
  'clone',
  'ls-remote',
  'request-pull',
  'send-email',
  'svn',
]);
const publishing: Record<string, string[]> = {
  npm: [
    'publish',
    'unpublish',
    'deprecate',
    'dist-tag',
    'owner',
    'login',
    'adduser',
    'logout',
    'token',
    'access',
    'team',
    'org',
  ],
  pnpm: ['publish'],
  yarn: ['publish', 'npm'],
  bun: ['publish'],
  cargo: ['publish', 'login', 'yank', 'owner'],
  gem: ['push', 'signin', 'yank', 'owner'],
  twine: ['upload'],
  docker: ['push', 'login', 'pull'],
  podman: ['push', 'login', 'pull'],
  poetry: ['publish'],
  uv: ['publish'],
  mvn: ['deploy'],
  gradle: ['publish'],
};

export const network = builtin(
  'network',
  'ask',
  'the `network` tool; curl, wget, nc, ssh, scp, rsync to a host, gh; git push/fetch/pull/clone/ls-remote; npm/cargo/gem/docker publish and login',
  'this reaches the network',
  (s) => {
    if (s.call.tool === 'network') return true;
    if (s.kind !== 'command') return false;
    const args = commandArgs(s);
    if (networkCommands.has(s.name)) return true;
    if (s.name === 'rsync') return args.some((a) => /^[^/\s-][^/\s]*:|^rsync:\/\//.test(a));
    if (s.name === 'git') {
      const git = parseGit(s.part.words);
      const sub = git.sub ?? '';
      const first = git.args.find((w) => !w.raw.startsWith('-'))?.raw;
      if (sub === 'remote') return ['update', 'prune', 'show'].includes(first ?? '');
      if (sub === 'submodule') return ['update', 'add', 'sync', 'foreach'].includes(first ?? '');
      return gitRemote.has(sub) || (sub === 'archive' && git.args.some((w) => w.raw.startsWith('--remote')));
    }
    const verbs = publishing[s.name];
    return verbs !== undefined && verbs.includes(args.find((a) => !a.startsWith('-')) ?? '');
  },
);
