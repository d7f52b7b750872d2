// The town's own commands a polecat uses to talk to its town: `bd` (its beads) and the `gt`
// commands that are a polecat's (beads, mail, done, the read-only views). Inside a sandboxed agent
// these reach the town through its session, which checks the same list again before running them;
// anything else of `gt` (rigs, sling, policy, approvals, the daemon) is the Overseer's and falls
// through to the later rules and the default. `--town` and `--actor` would act elsewhere or in
// another's name, so a command carrying them is not allowed here either.
import { builtin } from '../rule.js';

/** `gt` commands a polecat may run, each with the subcommands allowed (undefined: all of them);
 * the policy allows them and the session's forwarder (src/agents/town-forward-policy.ts) runs only them. */
export const polecatCommands: Readonly<Record<string, readonly string[] | undefined>> = {
  bd: undefined,
  mail: ['send', 'inbox', 'read'],
  done: undefined,
  escalate: ['list'],
  feed: undefined,
  trace: undefined,
  peek: undefined,
  status: undefined,
};

function isPolecatCommand(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.some((arg) => /^--(town|actor)(=|$)/.test(arg))) return false;
  const words = argv.filter((arg) => arg !== '--json');
  if (words[0] === 'bd') return true;
  if (words[0] !== 'gt' || words[1] === undefined || !Object.hasOwn(polecatCommands, words[1])) return false;
  const subs = polecatCommands[words[1]];
  return subs === undefined || (words[2] !== undefined && subs.includes(words[2]));
}

export const townCommands = builtin(
  'town-commands',
  'allow',
  '`bd …` and a polecat’s own `gt` commands (gt bd, gt mail send|inbox|read, gt done, gt escalate list, gt feed|trace|peek|status), without --town or --actor',
  'the agent talks to its own town about its own work',
  (s) => s.kind === 'command' && isPolecatCommand(s.part.argv),
);
