// Which words of a command are paths it reads, writes, deletes or changes the mode of. Reads are
// any operand by default; commands we know say better (cp's last operand is written, grep's first
// is a pattern, echo has none). Redirections count as well.
import type { CommandPart } from '../shell/types.js';
import { commandName, wordText } from '../shell/word.js';
import type { Handler, Operands } from './args.js';
import { none, parseArgs, valuesOf } from './args.js';
import { copyLike, dd, deleteLike, generic, modeLike, patternFirst, writeLike } from './file-tools.js';
import { curl, find, git, remoteCopy, tar, wget } from './tool-args.js';
import { awk } from './awk.js';
import { sed } from './sed.js';

export type { Operands } from './args.js';

const handlers: Record<string, Handler> = {
  cp: copyLike('cp'),
  install: copyLike('cp'),
  mv: copyLike('mv'),
  ln: copyLike('ln'),
  rm: deleteLike,
  rmdir: deleteLike,
  unlink: deleteLike,
  shred: deleteLike,
  touch: writeLike(['-d', '-t', '-r', '--date', '--reference']),
  mkdir: writeLike(['-m', '--mode']),
  tee: writeLike(),
  truncate: writeLike(['-s', '--size', '-r', '--reference']),
  chmod: modeLike,
  chown: modeLike,
  chgrp: modeLike,
  chattr: modeLike,
  grep: patternFirst(['-A', '-B', '-C', '-m', '-d', '-D', '--include', '--exclude']),
  egrep: patternFirst(['-A', '-B', '-C', '-m']),
  fgrep: patternFirst(['-A', '-B', '-C', '-m']),
  rg: patternFirst([
    '-g',
    '-t',
    '-T',
    '-A',
    '-B',
    '-C',
    '-m',
    '-M',
    '-j',
    '--glob',
    '--type',
    '--type-not',
    '--max-count',
  ]),
  ag: patternFirst(['-G', '-A', '-B', '-C', '-m']),
  sed,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  dd,
  curl,
  wget,
  scp: remoteCopy,
  rsync: remoteCopy,
  tar,
  find,
  git,
  make: (words, ops) =>
    ops.reads.push(
      ...valuesOf(parseArgs(words, ['-C', '-f', '--directory', '--file', '-I', '-j', '-l', '-o', '-W']), [
        '-C',
        '-f',
        '--directory',
        '--file',
        '-I',
      ]),
    ),
  zip: (words, ops) => {
    const args = parseArgs(words, ['-x', '-i']);
    ops.writes.push(...args.positionals.slice(0, 1));
    ops.reads.push(...args.positionals.slice(1));
  },
  unzip: (words, ops) => {
    const args = parseArgs(words, ['-d', '-x']);
    ops.writes.push(...valuesOf(args, ['-d']));
    ops.reads.push(...args.positionals.slice(0, 1));
  },
  npm: generic(['--prefix', '-C', '-w', '--workspace', '--registry']),
  patch: (words, ops) => {
    const args = parseArgs(words, ['-i', '--input', '-o', '--output', '-d', '--directory', '-p', '-B', '-r']);
    ops.reads.push(...valuesOf(args, ['-i', '--input', '-d', '--directory']));
    ops.writes.push(...args.positionals.slice(0, 1), ...valuesOf(args, ['-o', '--output']));
  },
};

const noOperands = [
  'echo',
  'printf',
  'true',
  'false',
  'export',
  'unset',
  'set',
  'shift',
  'type',
  'which',
  'whereis',
  'alias',
  'read',
  'sleep',
  'date',
  'exit',
  'return',
  'local',
  'declare',
  'readonly',
  'typeset',
  'seq',
  'yes',
  'expr',
  'basename',
  'dirname',
  'kill',
  'wait',
  'trap',
  '[',
  '[[',
  'test',
  ':',
  'pwd',
  'hash',
  'help',
  'umask',
  'printenv',
  'uname',
  'whoami',
  'id',
  'hostname',
  'nproc',
  'docker',
  'podman',
  'ssh',
  'ping',
  'nc',
  'ncat',
  'netcat',
  'eval',
  'ps',
  'pgrep',
  'jobs',
];
for (const name of noOperands) handlers[name] = none;

const writeRedirects = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

export function operandsOf(part: CommandPart): Operands {
  const ops: Operands = { reads: [], writes: [], deletes: [], modes: [] };
  for (const redirect of part.redirects) {
    const target = wordText(redirect.target);
    if (writeRedirects.has(redirect.op) || (redirect.op === '>&' && !/^(\d+|-)$/.test(target)))
      ops.writes.push(redirect.target);
    else if (redirect.op === '<') ops.reads.push(redirect.target);
  }
  const [first, ...rest] = part.words;
  if (!first) return ops;
  if (wordText(first).includes('/')) ops.reads.push(first);
  const own = rest.slice(0, part.inner === undefined ? rest.length : part.inner - 1);
  (handlers[commandName(part.argv[0])] ?? generic())(own, ops);
  ops.writes.push(...ops.deletes, ...ops.modes);
  return ops;
}
