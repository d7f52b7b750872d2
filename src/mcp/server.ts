// The town's MCP server: the tools in `townTools`, each call recorded in the ledger. `gt mcp` serves
// it over stdio for the Mayor (and any MCP client: Claude Code's --mcp-config, an editor).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mcpServerName, requestMetaKeys } from './protocol.js';
import { recordedCall } from './record.js';
import type { McpContext, TownTool } from './tool.js';
import {
  addDependencyTool,
  createBeadTool,
  listBeadsTool,
  listRigsTool,
  showBeadTool,
} from './tools-beads.js';
import { createConvoyTool, launchConvoyTool, slingTool, submitPlanTool } from './tools-convoys.js';
import { readInboxTool, sendMailTool, statusTool } from './tools-town.js';

export const townTools: readonly TownTool[] = [
  listRigsTool,
  listBeadsTool,
  showBeadTool,
  createBeadTool,
  addDependencyTool,
  createConvoyTool,
  launchConvoyTool,
  slingTool,
  submitPlanTool,
  statusTool,
  sendMailTool,
  readInboxTool,
];

export function createTownMcpServer(ctx: McpContext, version = '0.1.0'): McpServer {
  const server = new McpServer({ name: mcpServerName, version });
  for (const tool of townTools) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly === true },
      },
      async (args, extra): Promise<CallToolResult> => {
        const outcome = await recordedCall(tool, args, withRequestOf(ctx, extra._meta));
        if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: outcome.error }] };
        return { content: [{ type: 'text', text: JSON.stringify(outcome.value ?? null, null, 2) }] };
      },
    );
  }
  return server;
}

/** The call's own request (from `_meta`, the Mayor's REPL sets it per line), else the server's. */
function withRequestOf(ctx: McpContext, meta: Record<string, unknown> | undefined): McpContext {
  const span = meta?.[requestMetaKeys.span];
  const id = meta?.[requestMetaKeys.id];
  if (typeof span !== 'string' || !/^[0-9a-f]{16}$/.test(span)) return ctx;
  const { requestId: _serverRequest, ...rest } = ctx;
  return { ...rest, requestSpan: span, ...(typeof id === 'string' ? { requestId: id } : {}) };
}

/** Serves the town's tools on stdin/stdout until the client disconnects. */
export async function serveStdio(ctx: McpContext): Promise<void> {
  const server = createTownMcpServer(ctx);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
