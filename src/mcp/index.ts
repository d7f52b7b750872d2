// The MCP server exposing the town's tools (rigs, beads, dependencies, convoys, sling, plans, status,
// mail) to the Mayor or any MCP client. Every call is recorded in the ledger as the calling actor,
// under the request span it serves. `gt mcp` serves it over stdio.
export { createTownMcpServer, serveStdio, townTools } from './server.js';
export { mcpServerName, requestMetaKeys } from './protocol.js';
export type { McpContext, TownTool } from './tool.js';
