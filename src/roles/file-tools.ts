// The tools other than `run` (read, write, edit, list, search) for the model runtimes' own loop,
// once the gateway has allowed them. Each works on the worktree as the sandbox sees it.
import type { ToolRequest, ToolStatus } from '../agents/index.js';
import type { SandboxRunner, SandboxSpec } from '../sandbox/index.js';

export interface FileToolResult {
  status: ToolStatus;
  output: string;
  exitCode?: number;
}

export function runFileTool(
  request: ToolRequest,
  _spec: SandboxSpec,
  _runner: SandboxRunner,
  _signal?: AbortSignal,
): Promise<FileToolResult> {
  return Promise.resolve({
    status: 'error',
    output: `the ${request.tool} tool is not available to this runtime yet`,
  });
}
