// Which town commands a sandboxed agent may forward to its session (town-forward.ts): every `bd`
// subcommand, and the `gt` commands that make sense for a polecat — its beads, its mail, `done`,
// the escalations it can see and the read-only views. Everything else (rigs, sling, policy,
// approvals, the daemon…) is the Overseer's and is refused before anything runs. The town and the
// actor are the session's: `--town` and `--actor` on the command line are refused too, so an agent
// cannot act on another town or in another's name.
import { polecatCommands } from '../policy/index.js';

/** The shims a sandbox holds. */
export const forwardShims = ['gt', 'bd'] as const;
export type ForwardShim = (typeof forwardShims)[number];

export function isForwardShim(name: string): name is ForwardShim {
  return (forwardShims as readonly string[]).includes(name);
}

const allowed = polecatCommands;

/** The one global option a forwarded command may carry; `--town` and `--actor` are the session's. */
const harmlessGlobals = new Set(['--json']);
const sessionGlobals = ['--town', '--actor'];

export type TownCommandCheck = { ok: true; argv: string[] } | { ok: false; reason: string };

const refuse = (reason: string): TownCommandCheck => ({ ok: false, reason });

export const allowedTownCommands = (): string =>
  Object.entries(allowed)
    .map(([name, subs]) => (subs === undefined ? name : `${name} ${subs.join('|')}`))
    .join(', ');

/** The word at or after `from` that is not `--json`, with its index. */
function nextWord(argv: readonly string[], from: number): { word: string | undefined; at: number } {
  let at = from;
  while (at < argv.length && harmlessGlobals.has(argv[at] ?? '')) at++;
  return { word: argv[at], at };
}

/**
 * The argv for `gt` (`bd …` becomes `gt bd …`) when the command is allowed; otherwise why not.
 * Only what comes before a literal `--` can be an option.
 */
export function checkTownCommand(shim: ForwardShim, args: readonly string[]): TownCommandCheck {
  const argv = shim === 'bd' ? ['bd', ...args] : [...args];
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  const global = options.find((arg) =>
    sessionGlobals.some((name) => arg === name || arg.startsWith(`${name}=`)),
  );
  if (global !== undefined) {
    return refuse(
      `${global.split('=')[0] ?? global} is not allowed here: this session acts on its own town, as its polecat`,
    );
  }
  const { word: command, at } = nextWord(argv, 0);
  if (command === undefined) return refuse(`a command is missing (allowed: ${allowedTownCommands()})`);
  if (!Object.hasOwn(allowed, command)) {
    return refuse(`\`gt ${command}\` is not a polecat's command (allowed: ${allowedTownCommands()})`);
  }
  const subs = allowed[command];
  if (subs !== undefined) {
    const { word: sub } = nextWord(argv, at + 1);
    if (sub === undefined || !subs.includes(sub)) {
      return refuse(
        `\`gt ${command}${sub === undefined ? '' : ` ${sub}`}\` is not a polecat's command (allowed: gt ${command} ${subs.join('|')})`,
      );
    }
  }
  return { ok: true, argv };
}
