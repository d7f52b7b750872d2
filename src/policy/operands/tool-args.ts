// Operand readers for tools with their own conventions: curl, wget, scp/rsync, tar, find, git.
import type { ShellWord } from '../shell/types.js';
import { hasFlag, parseGit, positionals, writesConfig } from '../git.js';
import type { Handler } from './args.js';
import { parseArgs, pathLike, valuesOf } from './args.js';
import { litWord, valueAfter, wordText } from '../shell/word.js';

export const curl: Handler = (words, ops) => {
  const args = parseArgs(words, [
    '-o',
    '--output',
    '-T',
    '--upload-file',
    '-K',
    '--config',
    '-d',
    '--data',
    '--data-binary',
    '--data-raw',
    '--data-urlencode',
    '-F',
    '--form',
    '-H',
    '--header',
    '-u',
    '--user',
    '-X',
    '--request',
    '-A',
    '--user-agent',
    '-e',
    '--referer',
    '-b',
    '--cookie',
    '-c',
    '--cookie-jar',
    '--output-dir',
  ]);
  ops.writes.push(...valuesOf(args, ['-o', '--output', '-c', '--cookie-jar', '--output-dir']));
  ops.reads.push(...valuesOf(args, ['-T', '--upload-file', '-K', '--config']));
  for (const word of valuesOf(args, ['-d', '--data', '--data-binary', '--data-urlencode', '-F', '--form'])) {
    const at = wordText(word).indexOf('@');
    if (at >= 0) ops.reads.push(valueAfter(word, wordText(word).slice(0, at + 1)) ?? word);
  }
};

export const wget: Handler = (words, ops) => {
  const args = parseArgs(words, [
    '-O',
    '--output-document',
    '-P',
    '--directory-prefix',
    '-i',
    '--input-file',
    '--post-file',
    '--body-file',
    '-o',
    '--output-file',
    '-U',
    '--user-agent',
    '--header',
  ]);
  ops.writes.push(
    ...valuesOf(args, ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file']).filter(
      (w) => wordText(w) !== '-',
    ),
  );
  ops.reads.push(...valuesOf(args, ['-i', '--input-file', '--post-file', '--body-file']));
};

/** scp, rsync: `host:path` operands are remote; the last local operand is written. */
export const remoteCopy: Handler = (words, ops) => {
  const args = parseArgs(words, [
    '-e',
    '--rsh',
    '-i',
    '-P',
    '-p',
    '-o',
    '-F',
    '-l',
    '-J',
    '--exclude',
    '--include',
  ]);
  const remote = (w: ShellWord) => /^[^/]*:/.test(wordText(w)) && !pathLike.test(wordText(w));
  const all = args.positionals;
  const last = all.at(-1);
  ops.reads.push(...all.slice(0, -1).filter((w) => !remote(w)));
  if (last && !remote(last)) ops.writes.push(last);
};

export const tar: Handler = (words, ops) => {
  const args = parseArgs(words, [
    '-f',
    '--file',
    '-C',
    '--directory',
    '-T',
    '--files-from',
    '-X',
    '--exclude-from',
  ]);
  const cluster =
    args.positionals[0] && /^[A-Za-z]+$/.test(wordText(args.positionals[0]))
      ? wordText(args.positionals[0])
      : '';
  const short = cluster + args.flags.filter((f) => /^-[A-Za-z]+$/.test(f)).join('');
  const creating =
    /[cruA]/.test(short) || args.flags.some((f) => ['--create', '--append', '--update'].includes(f));
  const extracting = /x/.test(short) || args.flags.some((f) => ['--extract', '--get'].includes(f));
  const rest = cluster ? args.positionals.slice(1) : args.positionals;
  const named = cluster.includes('f') ? rest.slice(0, 1) : [];
  (creating ? ops.writes : ops.reads).push(...valuesOf(args, ['-f', '--file']), ...named);
  (extracting ? ops.writes : ops.reads).push(...valuesOf(args, ['-C', '--directory']));
  if (!extracting) ops.reads.push(...rest.slice(named.length));
};

export const find: Handler = (words, ops) => {
  const starts: ShellWord[] = [];
  for (const word of words) {
    const text = wordText(word);
    if (text.startsWith('-') || text === '(' || text === '!') break;
    starts.push(word);
  }
  const roots = starts.length > 0 ? starts : [litWord('.')];
  ops.reads.push(...roots);
  // `-fprint FILE`, `-fprint0 FILE`, `-fprintf FILE FORMAT`, `-fls FILE` write FILE.
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (next && ['-fprint', '-fprint0', '-fprintf', '-fls'].includes(wordText(word))) ops.writes.push(next);
  });
  // `-delete` removes what lies below each start path (`find . -delete` keeps `.` itself).
  if (words.some((w) => wordText(w) === '-delete'))
    ops.deletes.push(
      ...roots.map((w) => ({
        raw: `${w.raw}/*`,
        segments: [...w.segments, { kind: 'lit' as const, text: '/' }, { kind: 'glob' as const, text: '*' }],
      })),
    );
};

const homeGitconfig: ShellWord = {
  raw: '~/.gitconfig',
  segments: [
    { kind: 'tilde', text: '~' },
    { kind: 'lit', text: '/.gitconfig' },
  ],
};

/** The directory `git init [--bare] [DIR]` creates its repository in (the cwd when none is named). */
export function gitInitDir(args: ShellWord[]): ShellWord[] {
  const values = [
    '-b',
    '--initial-branch',
    '--template',
    '--separate-git-dir',
    '--object-format',
    '--ref-format',
  ];
  return parseArgs(args, values).positionals.slice(0, 1);
}

export const git: Handler = (words, ops) => {
  const call = parseGit([litWord('git'), ...words]);
  ops.reads.push(
    ...call.dirs,
    ...(call.gitDir ? [call.gitDir] : []),
    ...(call.workTree ? [call.workTree] : []),
  );
  const dashes = call.args.findIndex((w) => wordText(w) === '--');
  if (dashes >= 0) ops.reads.push(...call.args.slice(dashes + 1));
  if (call.sub === 'clone') ops.writes.push(...positionals(call.args).slice(1, 2));
  if (call.sub === 'worktree' && wordText(call.args[0] ?? litWord('')) === 'add')
    ops.writes.push(...positionals(call.args.slice(1)).slice(0, 1));
  if (writesConfig(call)) {
    if (hasFlag(call.args, ['--global'])) ops.writes.push(homeGitconfig);
    if (hasFlag(call.args, ['--system'])) ops.writes.push(litWord('/etc/gitconfig'));
    ops.writes.push(...valuesOf(parseArgs(call.args, ['-f', '--file']), ['-f', '--file']));
  }
  if (call.sub === 'init') ops.writes.push(...gitInitDir(call.args));
};
