// Ordinary tools with a small feature whose only job is to run a shell command or native code:
// awk's `system()` and pipes, sed's `e`, sqlite3's `.shell` / `.system` / `.load`, make's
// `--eval`. The command inside is text of another language the command rules never see, so a
// human decides. (Whole programs for an interpreter — `python3 -c`, `node -e` — stay allowed:
// the policy cannot judge a program, and the sandbox confines what it does.)
import { builtin } from '../rule.js';
import type { CommandSubject } from '../subject.js';
import { awkCall, awkProgram } from '../operands/awk.js';
import { parseSed, sedCall } from '../operands/sed.js';
import { wordText } from '../shell/word.js';

const awks = new Set(['awk', 'gawk', 'mawk', 'nawk']);

/** sqlite3 dot-commands and SQL functions that run a program or load native code. */
const sqliteCode = [
  /^\s*\.(shell|system|load|excel)\b/im,
  /^\s*\.(once|output|import|read)\s+['"]?\|/im,
  /\bload_extension\s*\(/i,
];

function sqliteRuns(c: CommandSubject): boolean {
  const args = c.part.argv.slice(1);
  if (args.includes('-safe') || args.includes('--safe')) return false;
  const stdin = c.part.redirects.flatMap((r) =>
    r.op === '<<<' ? [wordText(r.target)] : r.body !== undefined ? [r.body] : [],
  );
  return [...args, ...stdin].some((text) => sqliteCode.some((pattern) => pattern.test(text)));
}

function runsCommands(c: CommandSubject): boolean {
  const words = c.part.words.slice(1);
  if (awks.has(c.name)) {
    const call = awkCall(words);
    return call.loads || call.programs.some((p) => awkProgram(p).runs);
  }
  if (c.name === 'sed') return sedCall(words).scripts.some((script) => parseSed(script).runs);
  if (c.name === 'sqlite3') return sqliteRuns(c);
  if (c.name === 'make' || c.name === 'gmake')
    return c.part.argv.some((a) => a === '-E' || a === '--eval' || a.startsWith('--eval='));
  return false;
}

export const toolRunsCommands = builtin(
  'tool-runs-commands',
  'ask',
  'awk with system(), `print | "cmd"`, `"cmd" | getline` or @load; sed with the `e` command or `s///e`; sqlite3 with .shell, .system, .load, `.once |cmd` or load_extension() (in its arguments or a here-document); make --eval',
  'the tool would run a command hidden in its own language, out of sight of the command rules',
  (s) => s.kind === 'command' && runsCommands(s),
);
