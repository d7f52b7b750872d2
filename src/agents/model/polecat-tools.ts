// The polecat's tools for the model runtimes: read_file, write_file, edit_file, list_files, search
// and run_command, each mapped to a ToolRequest and sent through the session's ToolGateway (policy,
// approvals, sandbox, ledger); nothing here touches the disk or runs a process. A denied or failed
// call goes back to the model as an error result naming the rule, so it can take another way, and
// `give_up` lets it end the session as a failure that names the last denial.
//
// Stable exports: polecatTools (the ModelTool list), createPolecatExecutor(gateway, emit).
import { z } from 'zod';
import type { AgentEvent, ToolGateway, ToolOutcome, ToolRequest } from '../runtime.js';
import type { ToolExecution } from './tool-loop.js';
import type { ModelTool, ModelToolCall } from './types.js';

const str = (description: string) => ({ type: 'string', description });
const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const path = str(
  'A path relative to the worktree (the current directory of run_command), or the absolute path of a file in a context rig (read-only).',
);

export const polecatTools: readonly ModelTool[] = [
  {
    name: 'read_file',
    description: 'Read a text file from the worktree or from a context rig.',
    inputSchema: object({ path }, ['path']),
  },
  {
    name: 'write_file',
    description: 'Create or overwrite a file in the worktree with the given content.',
    inputSchema: object({ path, content: str('The whole new content of the file.') }, ['path', 'content']),
  },
  {
    name: 'edit_file',
    description: 'Replace old_text, which must occur exactly once in the file, with new_text.',
    inputSchema: object(
      {
        path,
        old_text: str('The exact text to replace, unique in the file.'),
        new_text: str('The replacement.'),
      },
      ['path', 'old_text', 'new_text'],
    ),
  },
  {
    name: 'list_files',
    description: 'List the files under a directory of the worktree (default: its root) or of a context rig.',
    inputSchema: object({ path: str('A directory relative to the worktree; default ".".') }, []),
  },
  {
    name: 'search',
    description:
      'Search the files of the worktree (or of a context rig) for a regular expression; answers file:line: text.',
    inputSchema: object(
      { pattern: str('A regular expression.'), path: str('A file or directory to search; default ".".') },
      ['pattern'],
    ),
  },
  {
    name: 'run_command',
    description:
      'Run a shell command in the worktree, in a sandbox without network. Answers its exit code and output.',
    inputSchema: object({ command: str('The command line, run by /bin/sh -c.') }, ['command']),
  },
  {
    name: 'give_up',
    description: 'End the session without finishing the task, when it cannot be done here. Say why.',
    inputSchema: object({ reason: str('Why the task cannot be finished.') }, ['reason']),
  },
];

const text = z.string();
const inputs = {
  read_file: z.object({ path: text }),
  write_file: z.object({ path: text, content: text }),
  edit_file: z.object({ path: text, old_text: text, new_text: text }),
  list_files: z.object({ path: text.optional() }),
  search: z.object({ pattern: text, path: text.optional() }),
  run_command: z.object({ command: text.min(1) }),
  give_up: z.object({ reason: text }),
};

function requestOf(call: ModelToolCall, callId: string): ToolRequest | string {
  const base = { callId, agentTool: call.name, input: call.input };
  const parse = <T>(schema: z.ZodType<T>): T | string => {
    const parsed = schema.safeParse(call.input);
    return parsed.success ? parsed.data : `bad arguments for ${call.name}: ${z.prettifyError(parsed.error)}`;
  };
  switch (call.name) {
    case 'read_file': {
      const i = parse(inputs.read_file);
      return typeof i === 'string' ? i : { ...base, tool: 'read', path: i.path };
    }
    case 'write_file': {
      const i = parse(inputs.write_file);
      return typeof i === 'string' ? i : { ...base, tool: 'write', path: i.path, content: i.content };
    }
    case 'edit_file': {
      const i = parse(inputs.edit_file);
      return typeof i === 'string'
        ? i
        : { ...base, tool: 'edit', path: i.path, oldText: i.old_text, newText: i.new_text };
    }
    case 'list_files': {
      const i = parse(inputs.list_files);
      return typeof i === 'string' ? i : { ...base, tool: 'list', path: i.path ?? '.' };
    }
    case 'search': {
      const i = parse(inputs.search);
      return typeof i === 'string' ? i : { ...base, tool: 'search', pattern: i.pattern, path: i.path ?? '.' };
    }
    case 'run_command': {
      const i = parse(inputs.run_command);
      return typeof i === 'string' ? i : { ...base, tool: 'run', command: i.command };
    }
    default:
      return `there is no tool named ${call.name}`;
  }
}

/** What the model reads back from an outcome. */
export function resultText(outcome: ToolOutcome): string {
  if (outcome.status === 'denied') {
    return `denied by ${outcome.rule}: ${outcome.reason}. The call did not run. Do not retry it; find another way, or call give_up.`;
  }
  const exit = outcome.exitCode === undefined ? '' : `exit code ${outcome.exitCode}\n`;
  return `${exit}${outcome.output === '' ? '(no output)' : outcome.output}`;
}

/**
 * Runs the model's calls through the gateway, reporting each as tool_call / tool_result events.
 * Call ids are the session's own (`call-1`, …): models repeat theirs across turns.
 */
export function createPolecatExecutor(
  gateway: ToolGateway,
  emit: (event: AgentEvent) => void,
): (call: ModelToolCall) => Promise<ToolExecution> {
  let count = 0;
  let lastDenial: string | undefined;
  return async (call) => {
    if (call.name === 'give_up') {
      const reason = inputs.give_up.safeParse(call.input).data?.reason ?? 'no reason given';
      const denied = lastDenial === undefined ? '' : ` (last denied call: ${lastDenial})`;
      return {
        output: 'ending the session',
        isError: false,
        end: { outcome: 'failure', summary: `gave up: ${reason}${denied}` },
      };
    }
    count += 1;
    const request = requestOf(call, `call-${count}`);
    if (typeof request === 'string') return { output: request, isError: true };
    emit({ type: 'tool_call', request });
    // Let the session record what the agent said before the gateway records the call.
    await new Promise((resolve) => setImmediate(resolve));
    const outcome = await gateway.call(request);
    emit({ type: 'tool_result', outcome });
    if (outcome.status === 'denied') lastDenial = `${outcome.rule}: ${outcome.reason}`;
    return { output: resultText(outcome), isError: outcome.status !== 'ok' };
  };
}
