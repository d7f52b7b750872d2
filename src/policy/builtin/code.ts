// Code an agent pipes into an interpreter: from the network (`curl … | sh`, `bash <(wget …)`,
// `sh -c "$(curl …)"`) it is denied; from anything else only known at run time (`eval "$CMD"`,
// `echo … | sh`) a human decides.
import { builtin } from '../rule.js';

/** Commands that bring bytes in from the network. */
export const fetchers = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'httpie',
  'xh',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'lynx',
  'links',
  'elinks',
  'w3m',
  'ftp',
  'tftp',
  'scp',
  'ssh',
  'rsync',
  'gh',
]);

export const pipeToShell = builtin(
  'pipe-to-shell',
  'deny',
  'a shell or interpreter running code that comes from curl, wget, nc… (`curl … | sh`, `bash <(curl …)`, `sh -c "$(wget -O- …)"`)',
  'running code straight from the network skips every review',
  (s) =>
    s.kind === 'command' &&
    (s.part.code === 'stdin' || s.part.code === 'dynamic') &&
    s.part.feeds.some((name) => fetchers.has(name)),
);

export const dynamicCode = builtin(
  'dynamic-code',
  'ask',
  'eval of a variable or substitution, `sh -c "$X"`, an interpreter reading its program from a pipe',
  'the code to run is only known at run time',
  (s) => s.kind === 'command' && (s.part.code === 'stdin' || s.part.code === 'dynamic'),
);

export const unparseable = builtin(
  'unparseable-command',
  'ask',
  'a command the shell splitter cannot follow (unbalanced quotes, very deep nesting, `$(…)` inside `${…}`)',
  'the command could not be analysed, so a human decides',
  (s) => s.kind === 'command' && s.part.via === 'unparsed',
);
