// Reading a git command line: global options (`-C`, `--git-dir`, `--work-tree`, `-c key=value`),
// the subcommand and its arguments.
import type { ShellWord } from './shell/types.js';
import { litWord, valueAfter, wordText } from './shell/word.js';

export interface GitInvocation {
  /** `-C` directories, applied in order from the cwd. */
  dirs: ShellWord[];
  gitDir?: ShellWord;
  workTree?: ShellWord;
  /** `-c key=value` settings, lower-cased keys. */
  configs: string[];
  sub?: string;
  args: ShellWord[];
}

export function parseGit(words: ShellWord[]): GitInvocation {
  const git: GitInvocation = { dirs: [], configs: [], args: [] };
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const text = wordText(word);
    const next = words[i + 1];
    if (text === '-C' && next) git.dirs.push(next);
    else if (text === '-c' && next) git.configs.push(wordText(next).toLowerCase());
    else if (text === '--git-dir' && next) git.gitDir = next;
    else if (text === '--work-tree' && next) git.workTree = next;
    else if (text === '--namespace' || text === '--exec-path' || text === '--config-env') i++;
    else if (text.startsWith('-')) {
      git.gitDir = valueAfter(word, '--git-dir=') ?? git.gitDir;
      git.workTree = valueAfter(word, '--work-tree=') ?? git.workTree;
      continue;
    } else {
      git.sub = text;
      git.args = words.slice(i + 1);
      return git;
    }
    i++;
  }
  return git;
}

/** `--force`, `--force=…` or a short cluster holding the letter (`-fdx`). */
export function hasFlag(args: ShellWord[], long: string[], short?: string): boolean {
  return args.some((word) => {
    const text = wordText(word);
    if (long.some((l) => text === l || text.startsWith(`${l}=`))) return true;
    return short !== undefined && /^-[A-Za-z]+$/.test(text) && text.includes(short);
  });
}

export function positionals(args: ShellWord[]): ShellWord[] {
  return args.filter((w) => !wordText(w).startsWith('-'));
}

/** Settings that make git run a program of the caller's choosing. */
export const codeRunningGitKeys = ['core.hookspath', 'core.fsmonitor', 'core.sshcommand'];

/** The keys a `git config` call writes, lower-cased (reads such as `--get` write nothing). */
export function gitConfigWrites(git: GitInvocation): string[] {
  const keys = git.configs.map((c) => c.split('=')[0] ?? '');
  if (git.sub !== 'config') return keys;
  const reading = hasFlag(git.args, ['--get', '--get-all', '--get-regexp', '--list', '-l', '--show-origin']);
  const names = positionals(git.args).map((w) => wordText(w).toLowerCase());
  const setKey = names[0] === 'set' ? names[1] : names.length >= 2 ? names[0] : undefined;
  return reading || setKey === undefined ? keys : [...keys, setKey];
}
