// Git features that run a program of the caller's choosing, or point git at another repository:
// code-running settings (`-c core.fsmonitor=…`, `--config-env`, `git config diff.external …`),
// `GIT_*` variables (`GIT_SSH_COMMAND=… git fetch`), remote helper programs (`--upload-pack`,
// `ext::` URLs) and `-C` / `--git-dir` / `--work-tree` outside the worktree. Each is denied: the
// program would run outside the command rules (and a setting written to the shared repository's
// config would run later on the host, in the refinery).
import type { GitInvocation } from '../git.js';
import { gitConfigWrites, hasFlag, isCodeRunningKey, parseGit } from '../git.js';
import type { Place, ResolvedEnv } from '../paths.js';
import { resolveWord, within } from '../paths.js';
import { builtin } from '../rule.js';
import type { CommandSubject } from '../subject.js';
import { wordText } from '../shell/word.js';
import { isPrivateTmp } from './places.js';

const gitOf = (s: CommandSubject): GitInvocation | undefined =>
  s.name === 'git' ? parseGit(s.part.words) : undefined;

export const gitConfigCode = builtin(
  'git-config-code',
  'deny',
  'git -c / --config-env / git config setting a key git runs as a program or that loads more settings: core.pager, core.editor, core.sshCommand, core.fsmonitor, core.hooksPath, diff.external, alias.*=!…, filter.*, diff.*.textconv, credential.helper, include.path, init.templateDir, protocol.allow…',
  'git would run the value as a program outside the command rules; written with git config it would run later in every checkout of the repository, the refinery included',
  (s) => {
    if (s.kind !== 'command') return false;
    const git = gitOf(s);
    return git !== undefined && gitConfigWrites(git).some((c) => isCodeRunningKey(c.key, c.value));
  },
);

/** Variables that make git run a program, read other settings, or use another repository. */
const gitCodeVariables =
  /^GIT_(SSH|SSH_COMMAND|EXTERNAL_DIFF|PAGER|EDITOR|SEQUENCE_EDITOR|ASKPASS|PROXY_COMMAND|EXEC_PATH|CONFIG|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|CONFIG_PARAMETERS|CONFIG_GLOBAL|CONFIG_SYSTEM|DIR|WORK_TREE|COMMON_DIR|TEMPLATE_DIR|ALLOW_PROTOCOL)$/;
/** Variables any program may read, that git runs as a program. */
const editorVariables = /^(EDITOR|VISUAL|PAGER)$/;
const exporters = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'env']);

function assignedNames(s: CommandSubject): { name: string; value: string }[] {
  const words = exporters.has(s.name) ? s.part.words.slice(1) : [];
  return [...s.part.assignments, ...words].flatMap((word) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\+?=(.*)$/s.exec(wordText(word));
    return match?.[1] === undefined ? [] : [{ name: match[1], value: match[2] ?? '' }];
  });
}

export const gitCodeEnv = builtin(
  'git-code-env',
  'deny',
  'setting GIT_SSH_COMMAND, GIT_EXTERNAL_DIFF, GIT_PAGER, GIT_EDITOR, GIT_ASKPASS, GIT_CONFIG_*, GIT_DIR, GIT_WORK_TREE, GIT_TEMPLATE_DIR… (in front of a command or exported), or EDITOR/VISUAL/PAGER in front of git',
  'these make git run a program or use another repository, out of sight of the command rules',
  (s) => {
    if (s.kind !== 'command') return false;
    return assignedNames(s).some(
      ({ name, value }) =>
        (gitCodeVariables.test(name) &&
          !(/^GIT_CONFIG_(GLOBAL|SYSTEM)$/.test(name) && value === '/dev/null')) ||
        (s.name === 'git' && editorVariables.test(name)),
    );
  },
);

/** Options naming a helper program, per subcommand (`fetch -u` is --update-head-ok, not one). */
const programOptions: Record<string, { long: string[]; short?: string }> = {
  fetch: { long: ['--upload-pack'] },
  pull: { long: ['--upload-pack'] },
  clone: { long: ['--upload-pack'], short: '-u' },
  'ls-remote': { long: ['--upload-pack'], short: '-u' },
  archive: { long: ['--exec'] },
  push: { long: ['--receive-pack', '--exec'] },
  'send-pack': { long: ['--receive-pack', '--exec'] },
  'fetch-pack': { long: ['--upload-pack', '--exec'] },
};

export const gitRemoteProgram = builtin(
  'git-remote-program',
  'deny',
  'git fetch/pull/clone/ls-remote/archive --upload-pack, clone/ls-remote -u, push --receive-pack/--exec, archive --exec, or an `ext::` URL',
  'git would run the named program (locally for a local or ext:: remote) instead of its own helper',
  (s) => {
    if (s.kind !== 'command') return false;
    const git = gitOf(s);
    if (!git) return false;
    if (git.args.some((w) => /^ext::/i.test(wordText(w)))) return true;
    const options = programOptions[git.sub ?? ''];
    if (!options) return false;
    return hasFlag(git.args, options.long) || git.args.some((w) => wordText(w) === options.short);
  },
);

/** Where `-C`, `--git-dir`, `--work-tree` point, resolved; undefined entries are unknown. */
function gitTargets(s: CommandSubject, git: GitInvocation, env: ResolvedEnv): (Place | undefined)[] {
  if (git.dirs.length === 0 && !git.gitDir && !git.workTree) return [];
  let base: Place | undefined = s.cwd === undefined ? undefined : { path: s.cwd, below: false };
  const places: (Place | undefined)[] = [];
  for (const dir of git.dirs) {
    base = base && resolveWord(dir, base.path, env);
    places.push(base);
  }
  for (const word of [git.gitDir, git.workTree])
    if (word) places.push(base && resolveWord(word, base.path, env));
  return places;
}

export const gitOutside = builtin(
  'git-outside-worktree',
  'deny',
  'git -C, --git-dir or --work-tree naming a directory outside the worktree (other than below /tmp or a read-only context rig)',
  'another checkout’s settings and hooks would run, and its refs and files are not the agent’s',
  (s, env) => {
    if (s.kind !== 'command') return false;
    const git = gitOf(s);
    if (!git) return false;
    return gitTargets(s, git, env).some(
      (p) =>
        p !== undefined &&
        !within(env.worktree, p.path) &&
        !isPrivateTmp(p.path, env) &&
        !env.readOnly.some((root) => within(root, p.path)),
    );
  },
);
