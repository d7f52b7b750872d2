// `gt policy check` asks the town's policy what it would decide for one tool call, without running
// anything; `gt policy explain` lists the rules in force (policy.yaml, the built-in profile, the
// default) in the order they are tried.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { invalidInput } from '../../errors.js';
import type { Decision, ExplainedRule, Policy, ToolCall } from '../../policy/index.js';
import { locateTown, rigPaths } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';

interface CheckOptions {
  tool: string;
  command?: string;
  path?: string;
  agent?: string;
  rig?: string;
  role?: string;
  worktree?: string;
}

export function registerPolicy(program: Command, io: CliIO): void {
  const policy = program
    .command('policy')
    .description('inspect the town policy: policy.yaml, then the built-in profile, then the default');

  policy
    .command('check')
    .description(
      'print what the policy decides for one tool call (nothing is run; exit 0 whatever it decides)',
    )
    .requiredOption('--tool <tool>', 'run, read, write, edit, search, network, or any tool name')
    .option('--command <cmd>', 'the shell command of a run call')
    .option(
      '--path <path>',
      'the path of a file call (relative: from the cwd inside the worktree, else from the worktree)',
    )
    .option('--agent <agent>', 'the agent making the call')
    .option('--rig <rig>', 'the rig the call runs in')
    .option('--role <role>', 'the agent’s role (polecat, refinery, mayor…)')
    .option(
      '--worktree <dir>',
      'the worktree the call runs in (default: the polecat dir you stand in, else <rig>/refinery, else the cwd)',
    )
    .action(async (opts: CheckOptions, command: Command) => {
      if (opts.command !== undefined && opts.path !== undefined)
        throw invalidInput('--command, --path: give one of them, not both');
      const { evaluate } = await import('../../policy/index.js');
      const { root, policy: loaded, json } = await openPolicy(command, io);
      const worktree = worktreeFor(root, opts, io.cwd);
      const inside = !relative(worktree, io.cwd).startsWith('..');
      const env = {
        worktree,
        home: io.env.HOME || homedir(),
        townRoot: root,
        ...(inside ? { cwd: io.cwd } : {}),
      };
      const decision = evaluate(loaded, callOf(opts), env);
      if (json) printJson(io, decision);
      else printLine(io, checkLine(decision));
    });

  policy
    .command('explain')
    .description('list every rule in force, in the order they are tried, with where it comes from')
    .action(async (_opts: unknown, command: Command) => {
      const { explainPolicy, budgetsOf } = await import('../../policy/index.js');
      const { policy: loaded, json, file } = await openPolicy(command, io);
      const rules = explainPolicy(loaded);
      if (json) {
        printJson(io, {
          file: loaded.file ?? null,
          default: loaded.default,
          extends_default: loaded.extends_default,
          sandbox: loaded.sandbox,
          approvals: loaded.approvals,
          budgets: budgetsOf(loaded),
          rules,
        });
        return;
      }
      printLine(io, loaded.file ? `policy: ${loaded.file}` : `policy: built-in profile only (no ${file})`);
      rules.forEach((rule, index) => printLine(io, explainLine(rule, index, rules.length)));
    });
}

async function openPolicy(
  command: Command,
  io: CliIO,
): Promise<{ root: string; policy: Policy; json: boolean; file: string }> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
  const { loadPolicy, policyFileName } = await import('../../policy/index.js');
  const file = join(root, policyFileName);
  return { root, policy: loadPolicy(file), json: globals.json === true, file };
}

/** `--worktree`, else the polecat worktree holding the cwd, else the rig's refinery, else the cwd. */
function worktreeFor(root: string, opts: CheckOptions, cwd: string): string {
  if (opts.worktree !== undefined) return resolve(cwd, opts.worktree);
  const [rig, polecats, name] = relative(root, resolve(cwd)).split(sep);
  if (rig && polecats === 'polecats' && name && !rig.startsWith('..'))
    return join(rigPaths(root, rig).polecats, name);
  if (opts.rig !== undefined) return rigPaths(root, opts.rig).refinery;
  return cwd;
}

function callOf(opts: CheckOptions): ToolCall {
  const call: ToolCall = { tool: opts.tool };
  for (const key of ['command', 'path', 'agent', 'rig', 'role'] as const) {
    const value = opts[key];
    if (value !== undefined) call[key] = value;
  }
  return call;
}

function checkLine(d: Decision): string {
  const part = d.part === undefined ? '' : ` [part: ${d.part}]`;
  return `${d.decision} by ${d.rule}: ${d.reason}${part}`;
}

function explainLine(rule: ExplainedRule, index: number, total: number): string {
  const number = String(index + 1).padStart(String(total).length);
  return `${number}. ${rule.decision.padEnd(5)} ${rule.rule} — ${rule.match}: ${rule.reason}`;
}
