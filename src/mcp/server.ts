// The town's MCP server: the tools in `townTools`, each call recorded in the ledger. `gt mcp` serves
// it over stdio for the Mayor (and any MCP client: Claude Code's --mcp-config, an editor).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

export const mcpServerName = 'gastown';

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
      async (args): Promise<CallToolResult> => {
        const outcome = await recordedCall(tool, args, ctx);
        if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: outcome.error }] };
        return { content: [{ type: 'text', text: JSON.stringify(outcome.value ?? null, null, 2) }] };
      },
    );
  }
  return server;
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
