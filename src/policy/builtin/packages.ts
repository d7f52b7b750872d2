// Installing software outside the worktree: system package managers and global installs are
// denied; user-level installs (`pip install --user`, `cargo install`, `go install`) ask. Project
// installs (`npm install`, `npm ci`, `.venv/bin/pip install`, `bundle install`) are fine.
import type { ResolvedEnv } from '../paths.js';
import { inWorktree, resolveWord } from '../paths.js';
import { builtin } from '../rule.js';
import type { CommandSubject, Subject } from '../subject.js';
import { commandArgs } from '../subject.js';
import { litWord } from '../shell/word.js';

const installVerbs = [
  'install',
  'remove',
  'purge',
  'upgrade',
  'full-upgrade',
  'dist-upgrade',
  'autoremove',
  'update',
  'reinstall',
  'build-dep',
  'erase',
  'downgrade',
  'groupinstall',
  'localinstall',
  'add',
  'del',
  'in',
  'rm',
  'up',
  'dup',
  'uninstall',
  'refresh',
  'tap',
  'link',
  'safe-upgrade',
  'selfupdate',
  'fix',
  'delete',
];
const systemManagers = new Set([
  'apt',
  'apt-get',
  'aptitude',
  'yum',
  'dnf',
  'microdnf',
  'zypper',
  'apk',
  'snap',
  'flatpak',
  'port',
  'brew',
  'pkg',
  'emerge',
]);
const flagManagers: Record<string, RegExp> = {
  dpkg: /^(-i|--install|-r|--remove|-P|--purge|--configure|--unpack)$/,
  rpm: /^(-[iUeF][a-z]*|--install|--upgrade|--erase|--freshen)$/,
  pacman: /^(-[SRU][a-z]*|--sync|--remove|--upgrade)$/,
  'nix-env': /^(-i|--install|-e|--uninstall|-u|--upgrade)$/,
};
const globalFlags = ['-g', '--global', '--location=global'];
const npmInstalls = new Set([
  'install',
  'i',
  'in',
  'isntall',
  'add',
  'update',
  'up',
  'upgrade',
  'uninstall',
  'un',
  'remove',
  'rm',
  'r',
  'link',
  'ln',
  'unlink',
]);

const command = (s: Subject): CommandSubject | undefined => (s.kind === 'command' ? s : undefined);
const firstPositional = (args: string[]) => args.find((a) => !a.startsWith('-'));

/** `pip …` or `python -m pip …`: the pip arguments and whether pip lives in the worktree (a venv). */
function pipCall(c: CommandSubject, env: ResolvedEnv): { args: string[]; venv: boolean } | undefined {
  const argv = c.part.argv;
  let args: string[] | undefined;
  if (/^pip\d*(\.\d+)?$/.test(c.name)) args = argv.slice(1);
  else if (/^python\d*(\.\d+)?$/.test(c.name)) {
    const m = argv.indexOf('-m');
    if (m > 0 && argv[m + 1] === 'pip') args = argv.slice(m + 2);
  } else if (c.name === 'uv' && argv[1] === 'pip') args = argv.slice(2);
  if (!args) return undefined;
  const exe = c.part.words[0];
  const place = exe && exe.raw.includes('/') ? resolveWord(exe, c.cwd, env) : undefined;
  const uvProject = c.name === 'uv' && !args.includes('--system');
  return { args, venv: uvProject || (place !== undefined && inWorktree(place, env)) };
}

function targetInWorktree(c: CommandSubject, args: string[], env: ResolvedEnv): boolean {
  const i = args.findIndex((a) =>
    ['-t', '--target', '--prefix', '--root', '-i', '--install-dir'].includes(a),
  );
  const value = i >= 0 ? args[i + 1] : undefined;
  const place = value === undefined ? undefined : resolveWord(litWord(value), c.cwd, env);
  return place !== undefined && inWorktree(place, env);
}

export const systemPackages = builtin(
  'system-package-install',
  'deny',
  'apt/apt-get/yum/dnf/apk/pacman/brew… installs and removals, pip install outside a venv in the worktree, npm/pnpm/bun -g, yarn global, npm link, gem install',
  'installing system-wide changes the machine for everyone; install into the worktree (node_modules, .venv) instead',
  (s, env) => {
    const c = command(s);
    if (!c) return false;
    const args = commandArgs(c);
    if (systemManagers.has(c.name)) return installVerbs.includes(firstPositional(args) ?? '');
    const flags = flagManagers[c.name];
    if (flags) return args.some((a) => flags.test(a));
    if (['npm', 'pnpm', 'bun'].includes(c.name)) {
      const verb = firstPositional(args) ?? '';
      const bareLink =
        c.name === 'npm' &&
        (verb === 'link' || verb === 'ln') &&
        args.filter((a) => !a.startsWith('-')).length === 1;
      return bareLink || (npmInstalls.has(verb) && args.some((a) => globalFlags.includes(a)));
    }
    if (c.name === 'yarn') return firstPositional(args) === 'global';
    if (c.name === 'gem')
      return (
        firstPositional(args) === 'install' &&
        !args.includes('--user-install') &&
        !targetInWorktree(c, args, env)
      );
    const pip = pipCall(c, env);
    if (!pip || !['install', 'uninstall'].includes(firstPositional(pip.args) ?? '')) return false;
    if (pip.args.includes('--break-system-packages')) return true;
    return !pip.venv && !pip.args.includes('--user') && !targetInWorktree(c, pip.args, env);
  },
);

export const userInstalls = builtin(
  'user-tool-install',
  'ask',
  'pip install --user, pipx install, cargo install, go install, gem install --user-install',
  'this installs tools into the home directory, outside the worktree',
  (s) => {
    const c = command(s);
    if (!c) return false;
    const args = commandArgs(c);
    const verb = firstPositional(args);
    if (['cargo', 'go', 'pipx'].includes(c.name)) return verb === 'install';
    if (c.name === 'gem') return verb === 'install';
    return (
      /^pip\d*(\.\d+)?$|^python\d*(\.\d+)?$/.test(c.name) &&
      args.includes('install') &&
      args.includes('--user')
    );
  },
);
