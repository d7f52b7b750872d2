// Options of ordinary tools that name a command line to run: `tar --to-command=…`, `tar -I prog`,
// `rsync -e …`, `zip -TT …`, `git rebase -x …`, `git bisect run …`, `parallel cmd ::: args`. Each
// command line becomes a nested script, so it is judged by the same policy as if typed directly;
// one only known at run time makes the tool's own part `dynamic`.
import type { CodeSource, ShellWord } from './types.js';
import type { Nested } from './wrappers.js';
import { litWord, valueAfter, wordLiteral, wordText } from './word.js';

export interface ProgramPlan {
  nested: Nested[];
  code?: CodeSource;
}

/** Options whose value is a command line, by tool: `--long` (also `--long=value`) or `-s`. */
const programOptions: Record<string, string[]> = {
  tar: [
    '--to-command',
    '--use-compress-program',
    '-I',
    '--info-script',
    '--new-volume-script',
    '-F',
    '--rsh-command',
  ],
  zip: ['-TT', '--unzip-command'],
  rsync: ['-e', '--rsh'],
};

/** `git <sub>` options whose value is a shell command line. */
const gitPrograms: Record<string, string[]> = {
  rebase: ['-x', '--exec'],
  difftool: ['-x', '--extcmd'],
  'filter-branch': [
    '--env-filter',
    '--tree-filter',
    '--index-filter',
    '--parent-filter',
    '--msg-filter',
    '--commit-filter',
    '--tag-name-filter',
  ],
};

export function programsOf(name: string, words: ShellWord[]): ProgramPlan {
  const plan: ProgramPlan = { nested: [] };
  const options = programOptions[name];
  if (options) collect(words, 1, options, plan);
  if (name === 'tar') checkpointActions(words, plan);
  if (name === 'git') gitProgram(words, plan);
  return plan;
}

function collect(words: ShellWord[], from: number, options: string[], plan: ProgramPlan): void {
  for (let i = from; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const text = wordText(word);
    if (text === '--') return;
    for (const option of options) {
      const joined = option.startsWith('--') ? valueAfter(word, `${option}=`) : undefined;
      const glued = !option.startsWith('--') && text !== option ? valueAfter(word, option) : undefined;
      const value = text === option ? words[++i] : (joined ?? (option === '-I' ? glued : undefined));
      if (value) add(value, plan);
    }
  }
}

/** `--checkpoint-action=exec=CMD` (or `--checkpoint-action exec=CMD`). */
function checkpointActions(words: ShellWord[], plan: ProgramPlan): void {
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? litWord('');
    const action =
      wordText(word) === '--checkpoint-action' ? words[++i] : valueAfter(word, '--checkpoint-action=');
    const command = action && valueAfter(action, 'exec=');
    if (command) add(command, plan);
  }
}

function gitProgram(words: ShellWord[], plan: ProgramPlan): void {
  const subAt = words.findIndex((w, i) => i > 0 && !wordText(w).startsWith('-') && !isGitValue(words, i));
  const sub = subAt > 0 ? wordText(words[subAt] ?? litWord('')) : '';
  const options = gitPrograms[sub];
  if (options) collect(words, subAt + 1, options, plan);
  const rest = words.slice(subAt + 1);
  const verb = wordText(rest[0] ?? litWord(''));
  if (sub === 'bisect' && verb === 'run' && rest.length > 1)
    plan.nested.push({ kind: 'argv', words: rest.slice(1), assignments: [], via: 'wrapper' });
  if (sub === 'submodule' && verb === 'foreach') {
    const start = rest.findIndex((w, i) => i > 0 && !wordText(w).startsWith('-'));
    if (start > 0) addAll(rest.slice(start), plan);
  }
}

/** The word at `i` is the value of a global option (`git -C dir`, `git -c k=v`). */
function isGitValue(words: ShellWord[], i: number): boolean {
  const before = wordText(words[i - 1] ?? litWord(''));
  return ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--exec-path'].includes(
    before,
  );
}

function add(value: ShellWord, plan: ProgramPlan): void {
  addAll([value], plan);
}

/** Words joined into one command line, parsed when literal. */
export function addAll(words: ShellWord[], plan: ProgramPlan, via: Nested['via'] = 'wrapper'): void {
  const texts = words.map(wordLiteral);
  if (texts.some((t) => t === undefined)) plan.code = 'dynamic';
  else plan.nested.push({ kind: 'script', script: texts.join(' '), via });
}
