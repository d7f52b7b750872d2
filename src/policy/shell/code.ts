// Where an interpreter takes its program from: an inline string (`sh -c '…'`, `python -c`,
// `eval`), a file, a module, stdin (`curl … | sh`), or something only known when it runs.
import { commandName, wordLiteral, wordText } from './word.js';
import type { CodeSource, ShellWord } from './types.js';

export const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);

export interface CodePlan {
  code?: CodeSource;
  /** Index of the inline script word (`-c` argument, `eval`'s first argument). */
  index?: number;
}

const inlineFlags: Record<string, string[]> = {
  node: ['-e', '--eval', '-p', '--print'],
  nodejs: ['-e', '--eval', '-p', '--print'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  php: ['-r'],
  lua: ['-e'],
  python: ['-c'],
};
const valueFlags: Record<string, string[]> = {
  node: ['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--input-type'],
  python: ['-W', '-X', '-Q'],
  perl: ['-I', '-M'],
  ruby: ['-I', '-r'],
};

export function interpreterKind(name: string): string | undefined {
  if (shells.has(name)) return 'shell';
  if (/^python(\d+(\.\d+)*)?$/.test(name)) return 'python';
  if (name === 'nodejs') return 'node';
  return name in inlineFlags ? name : undefined;
}

export function codeOf(words: ShellWord[]): CodePlan {
  const name = commandName(words[0] ? wordText(words[0]) : undefined);
  if (name === 'eval') return words.length > 1 ? { code: sourceOf(words.slice(1)), index: 1 } : {};
  if (name === 'source' || name === '.') return scriptFile(words, 1);
  const kind = interpreterKind(name);
  if (kind === 'shell') return shellCode(words);
  if (kind === undefined) return {};
  const inline = inlineFlags[kind] ?? [];
  const values = valueFlags[kind] ?? [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const text = word ? wordText(word) : '';
    const clustered = (kind === 'perl' || kind === 'ruby') && /^-[a-zA-Z]*e$/.test(text);
    if (inline.includes(text) || clustered) return inlineAt(words, i + 1);
    if (kind === 'python' && text === '-m') return { code: 'module' };
    if (text === '-') return { code: 'stdin' };
    if (values.includes(text)) i++;
    else if (!text.startsWith('-')) return scriptFile(words, i);
  }
  return words.length === 1 ? { code: 'stdin' } : {};
}

function shellCode(words: ShellWord[]): CodePlan {
  let inline = false;
  let stdin = false;
  let i = 1;
  for (; i < words.length; i++) {
    const text = wordText(words[i] ?? { raw: '', segments: [] });
    if (text === '--' || text === '-') {
      i++;
      break;
    }
    if (/^[-+][A-Za-z]+$/.test(text)) {
      if (text.startsWith('-') && text.includes('c')) inline = true;
      if (text.startsWith('-') && text.includes('s')) stdin = true;
      if (/[oO]$/.test(text)) i++;
    } else if (text.startsWith('--')) {
      if (text === '--version' || text === '--help') return {};
      if (text === '--rcfile' || text === '--init-file') i++;
    } else break;
  }
  if (inline) return inlineAt(words, i);
  if (stdin || i >= words.length) return { code: 'stdin' };
  return scriptFile(words, i);
}

function inlineAt(words: ShellWord[], index: number): CodePlan {
  const word = words[index];
  return word ? { code: sourceOf([word]), index } : {};
}

function scriptFile(words: ShellWord[], index: number): CodePlan {
  const word = words[index];
  if (!word) return {};
  if (wordText(word) === '/dev/stdin') return { code: 'stdin' };
  return { code: wordLiteral(word) === undefined && !isHomePath(word) ? 'dynamic' : 'file' };
}

function sourceOf(words: ShellWord[]): CodeSource {
  return words.every((w) => wordLiteral(w) !== undefined) ? 'inline' : 'dynamic';
}

/** `~/x` and `$HOME/x` are still known files. */
function isHomePath(word: ShellWord): boolean {
  return word.segments.every(
    (s, i) =>
      s.kind === 'lit' || (i === 0 && (s.kind === 'tilde' || (s.kind === 'var' && s.text === 'HOME'))),
  );
}
