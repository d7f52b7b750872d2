// Claude Code's tools in the policy's vocabulary, so one policy judges every agent alike: Bash is
// `run`, the file tools are `read` / `write` / `edit` on their path, Grep / Glob / LS `search`, the
// web tools `network`; any other tool keeps its own name, lower-cased, and the policy's
// rules for unknown tools (default: ask) decide it. The raw input always travels along.
import type { ToolRequest } from '../runtime.js';

type Input = Record<string, unknown>;

const text = (input: Input, key: string): string | undefined => {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
};

/** Only the fields that are set, so the request stays free of `undefined`. */
function defined(fields: Partial<ToolRequest>): Partial<ToolRequest> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function ourFields(name: string, input: Input, cwd: string): Partial<ToolRequest> & { tool: string } {
  switch (name) {
    case 'Bash':
      return { tool: 'run', ...defined({ command: text(input, 'command') }) };
    case 'Read':
      return { tool: 'read', ...defined({ path: text(input, 'file_path') }) };
    case 'Write':
      return {
        tool: 'write',
        ...defined({ path: text(input, 'file_path'), content: text(input, 'content') }),
      };
    case 'Edit':
      return {
        tool: 'edit',
        ...defined({
          path: text(input, 'file_path'),
          oldText: text(input, 'old_string'),
          newText: text(input, 'new_string'),
        }),
      };
    case 'MultiEdit':
      return { tool: 'edit', ...defined({ path: text(input, 'file_path') }) };
    case 'NotebookEdit':
      return { tool: 'edit', ...defined({ path: text(input, 'notebook_path') }) };
    case 'Grep':
    case 'Glob':
    case 'LS':
      // Read-only looks at a tree: `search` to the policy (which reads `list` as an unknown tool).
      // They look where they are told, else in the session's directory.
      return {
        tool: 'search',
        path: text(input, 'path') ?? cwd,
        ...defined({ pattern: text(input, 'pattern') }),
      };
    case 'WebFetch':
    case 'WebSearch':
      return { tool: 'network' };
    default:
      return { tool: name.toLowerCase() };
  }
}

/** The request the gateway judges for one Claude Code tool call made in `cwd`. */
export function toolRequestOf(callId: string, name: string, input: Input, cwd: string): ToolRequest {
  return { callId, ...ourFields(name, input, cwd), agentTool: name, input };
}
