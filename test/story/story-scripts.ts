// The story's two scripted models. The Mayor (our anthropic runtime, the town's MCP tools) inspects
// the rigs and plans two beads — expose the core runtime flags in the public API (reading `core`),
// then show them on the dashboard's accounts page (reading `api` and `core`) — with a dependency
// and a convoy, and launches it. Each polecat (the real Claude Code CLI) reads its context rigs
// at the paths its task prompt names, then writes its change from
// what it read: a read that fails leaves a mark in the file that the test's assertions catch.
import { join } from 'node:path';
import type { RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { assistantTurns, lastResults } from '../mayor/scripted-mayor.js';

export const storyRequest =
  'Inspect the public API and implement adding core runtime flags to accounts in the admin dashboard';

export const apiBeadTitle = 'Expose core runtime flags on accounts in the public API';
export const dashboardBeadTitle = 'Show core runtime flags on the accounts page of the admin dashboard';
export const convoyTitle = 'Core runtime flags on dashboard accounts';
export const flagsRoute = '/accounts/:id/flags';

/** The Mayor, one turn per step, reading ids from what the town's tools answered. */
export function mayorTurn(req: RecordedRequest): ScriptedTurn {
  const results = lastResults(req);
  switch (assistantTurns(req)) {
    case 0:
      return { text: 'Looking at the rigs first.', toolCalls: [{ name: 'list_rigs', input: {} }] };
    case 1:
      return {
        thinking: 'The api must serve the flags before the dashboard can show them; both read core.',
        toolCalls: [
          {
            name: 'create_bead',
            input: {
              title: apiBeadTitle,
              rig: 'api',
              description: `Add GET ${flagsRoute} to routes.js, returning the runtime flags core defines in flags.js.`,
              context_rigs: ['core'],
            },
          },
          {
            name: 'create_bead',
            input: {
              title: dashboardBeadTitle,
              rig: 'dashboard',
              description: `On the accounts page (accounts.js), load each account's runtime flags from the api route that serves them (see the api's routes.js) and show them.`,
              context_rigs: ['api', 'core'],
            },
          },
        ],
      };
    case 2: {
      const [api, dashboard] = results.map((r) => String(r.id));
      return {
        toolCalls: [
          { name: 'add_dependency', input: { bead: dashboard, depends_on: api } },
          { name: 'create_convoy', input: { title: convoyTitle, beads: [api, dashboard] } },
        ],
      };
    }
    case 3: {
      const convoy = (results[1]?.convoy as { id: string }).id;
      return { toolCalls: [{ name: 'launch_convoy', input: { convoy } }] };
    }
    default:
      return {
        text: `Planned 2 beads (api, then dashboard) in convoy "${convoyTitle}" and launched it.`,
      };
  }
}

interface Block {
  type: string;
  text?: string;
  content?: unknown;
}
interface Message {
  role: string;
  content: string | Block[];
}

const messagesOf = (req: RecordedRequest) => (req.body as { messages?: Message[] }).messages ?? [];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .map((b) => (b.type === 'tool_result' ? textOf(b.content) : (b.text ?? '')))
    .join('\n');
}

/** What the tools answered in the last message (Claude Code's Read numbers its lines). */
function lastToolOutput(req: RecordedRequest): string {
  const last = messagesOf(req).at(-1);
  return last === undefined ? '' : textOf(last.content);
}

const tools = (req: RecordedRequest) =>
  ((req.body as { tools?: { name: string }[] } | null)?.tools ?? []).map((t) => t.name);

/** Where the task prompt says a context rig is (`- api: /path (branch main at 0123abcd…)`). */
export function contextRigPath(prompt: string, rig: string): string | undefined {
  return new RegExp(`^- ${rig}: (/\\S+) \\(branch `, 'm').exec(prompt)?.[1];
}

/** The task prompt Claude Code sent: the first user message of the conversation. */
export function promptOf(req: RecordedRequest): string {
  return textOf(messagesOf(req)[0]?.content);
}

/** A polecat on Claude Code: read the context rig, then write the change built from what it read. */
export function polecatTurn(req: RecordedRequest): ScriptedTurn {
  // Claude Code's side requests (titles, summaries) carry no tools.
  if (!tools(req).includes('Write')) return { text: 'ok' };
  const prompt = promptOf(req);
  const worktree = /Work in (\/\S+?), your own git worktree/.exec(prompt)?.[1];
  if (worktree === undefined) return { text: 'I cannot tell where my worktree is.' };
  const context = (rig: string, file: string) =>
    join(contextRigPath(prompt, rig) ?? `/no-context-rig-${rig}`, file);
  const read = (file_path: string) => ({ name: 'Read', input: { file_path } });
  const onApi = prompt.includes(apiBeadTitle);
  const turn = assistantTurns(req);
  if (turn === 0)
    return onApi
      ? { toolCalls: [read(context('core', 'flags.js')), read(join(worktree, 'routes.js'))] }
      : { toolCalls: [read(context('api', 'routes.js')), read(join(worktree, 'accounts.js'))] };
  if (turn === 1) {
    const seen = lastToolOutput(req);
    const file = onApi ? 'routes.js' : 'accounts.js';
    return {
      text: `Writing ${file}.`,
      toolCalls: [
        {
          name: 'Write',
          input: { file_path: join(worktree, file), content: onApi ? routes(seen) : accounts(seen) },
        },
      ],
    };
  }
  return {
    text: onApi
      ? `Added GET ${flagsRoute} to the public API.`
      : 'The accounts page shows each account’s runtime flags.',
  };
}

/** The api's routes with the flags route, listing the flags core's flags.js defines. */
function routes(seen: string): string {
  const flags = /runtimeFlags = \[([^\]]*)\]/.exec(seen)?.[1] ?? "'core flags not found'";
  return [
    '// The public API.',
    'module.exports = [',
    "  { method: 'GET', path: '/accounts' },",
    "  { method: 'GET', path: '/accounts/:id' },",
    `  { method: 'GET', path: '${flagsRoute}', flags: [${flags}] },`,
    '];',
    '',
  ].join('\n');
}

/** The accounts page, calling the flags route the api's routes.js names. */
function accounts(seen: string): string {
  const route = /path: '([^']*flags[^']*)'/.exec(seen)?.[1] ?? 'api flags route not found';
  return [
    '// The admin dashboard: the accounts page.',
    `export const flagsRoute = '${route}';`,
    '',
    'export function accountRow(account) {',
    "  const flags = account.flags.join(', ');",
    '  return `<tr><td>${account.name}</td><td>${flags}</td></tr>`;',
    '}',
    '',
  ].join('\n');
}
