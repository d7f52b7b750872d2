// The tools other than `run` (read, write, edit, list, search) for the model runtimes' own loop,
// once the gateway has allowed them. Each runs as a small script through the session's sandbox
// runner, so it works on the worktree as the sandbox sees it and with the sandbox's rights: a
// symlink to the town or to /etc/shadow leads where a step's `cat` would, nowhere useful. With the
// direct runner (policy `sandbox: none`) the same scripts run as our own user.
import type { ToolRequest } from '../../agents/index.js';
import type { SandboxRunner, SandboxSpec } from '../../sandbox/index.js';
import { listTool, readTool, searchTool } from './file-tools-read.js';
import type { FileToolContext, FileToolResult } from './file-tools-shell.js';
import { failure, outputCap } from './file-tools-shell.js';
import { editTool, writeTool } from './file-tools-write.js';

export type { FileToolResult } from './file-tools-shell.js';

const tools: Record<string, (request: ToolRequest, context: FileToolContext) => Promise<FileToolResult>> = {
  read: readTool,
  write: writeTool,
  edit: editTool,
  list: listTool,
  search: searchTool,
};

export async function runFileTool(
  request: ToolRequest,
  spec: SandboxSpec,
  runner: SandboxRunner,
  signal?: AbortSignal,
): Promise<FileToolResult> {
  const tool = Object.hasOwn(tools, request.tool) ? tools[request.tool] : undefined;
  if (!tool) return failure(`there is no ${request.tool} tool (read, write, edit, list, search or run)`);
  // Only these reach the shell (content travels as base64); the kernel cannot pass a NUL in them.
  for (const field of ['path', 'pattern'] as const) {
    if (request[field]?.includes('\0')) return failure(`${field} cannot contain a NUL character`);
  }
  const result = await tool(request, { spec, runner, ...(signal === undefined ? {} : { signal }) });
  if (result.output.length <= outputCap) return result;
  const cut = result.output.length - outputCap;
  return { ...result, output: `${result.output.slice(0, outputCap)}\n… (${cut} more characters not shown)` };
}
