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
  /** `--config-env key=ENVVAR` settings, lower-cased: the value is only known when git runs. */
  configEnvs: string[];
  sub?: string;
  args: ShellWord[];
}

export function parseGit(words: ShellWord[]): GitInvocation {
  const git: GitInvocation = { dirs: [], configs: [], configEnvs: [], args: [] };
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const text = wordText(word);
    const next = words[i + 1];
    if (text === '-C' && next) git.dirs.push(next);
    else if (text === '-c' && next) git.configs.push(wordText(next).toLowerCase());
    else if (text === '--git-dir' && next) git.gitDir = next;
    else if (text === '--work-tree' && next) git.workTree = next;
    else if (text === '--config-env' && next) git.configEnvs.push(wordText(next).toLowerCase());
    else if (text === '--namespace' || text === '--exec-path') i++;
    else if (text.startsWith('--config-env=')) {
      git.configEnvs.push(text.slice('--config-env='.length).toLowerCase());
      continue;
    } else if (text.startsWith('-')) {
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

/**
 * Settings whose value git runs as a program (or that load more settings, or hooks): pagers,
 * editors, ssh, diff and merge drivers, filters, credential helpers, `include.path`, templates.
 * Keys are lower-cased; `*` is one dotted section name (`filter.lfs.smudge`).
 */
const codeKeyPatterns = [
  /^core\.(pager|editor|sshcommand|fsmonitor|hookspath|askpass|gitproxy|alternaterefscommand)$/,
  /^(sequence\.editor|diff\.external|gpg\.program|gpg\.[^.]+\.program|credential\.helper|init\.templatedir)$/,
  /^credential\..+\.helper$/,
  /^(include\.path|includeif\..+\.path)$/,
  /^pager\.[^.]+$/,
  /^filter\..+\.(clean|smudge|process)$/,
  /^diff\..+\.(textconv|command)$/,
  /^(merge\..+\.driver|(diff|merge)tool\..+\.(cmd|path)|tar\..+\.command)$/,
  /^(interactive\.difffilter|uploadpack\.packobjectshook|web\.browser|browser\..+\.(cmd|path)|man\..+\.(cmd|path))$/,
  /^remote\..+\.(uploadpack|receivepack)$/,
  /^protocol\.(ext\.)?allow$/,
  /^submodule\..+\.update$/,
];

/** The key (with its value when known) makes git run a program of the caller's choosing. */
export function isCodeRunningKey(key: string, value?: string): boolean {
  const k = key.toLowerCase();
  if (k.startsWith('alias.')) return value === undefined || value.trimStart().startsWith('!');
  return codeKeyPatterns.some((pattern) => pattern.test(k));
}

export interface ConfigSetting {
  key: string;
  /** Unknown for `--config-env` (an environment variable holds it). */
  value?: string;
}

/** The settings a git call applies (`-c`, `--config-env`) or, for `git config`, writes. */
export function gitConfigWrites(git: GitInvocation): ConfigSetting[] {
  const split = (c: string): ConfigSetting => {
    const eq = c.indexOf('=');
    return eq < 0 ? { key: c, value: 'true' } : { key: c.slice(0, eq), value: c.slice(eq + 1) };
  };
  const settings = [...git.configs.map(split), ...git.configEnvs.map((c) => ({ key: split(c).key }))];
  if (git.sub !== 'config') return settings;
  const reading = hasFlag(git.args, ['--get', '--get-all', '--get-regexp', '--list', '-l', '--show-origin']);
  const names = positionals(git.args).map((w) => wordText(w));
  const [first, second] = names[0] === 'set' ? names.slice(1) : names;
  if (reading || first === undefined || (second === undefined && names[0] !== 'set')) return settings;
  return [...settings, { key: first.toLowerCase(), value: second ?? '' }];
}

/** A `git config` call that writes a setting (not one that only reads, nor `-c` on it). */
export function writesConfig(git: GitInvocation): boolean {
  return git.sub === 'config' && gitConfigWrites(git).length > git.configs.length + git.configEnvs.length;
}
