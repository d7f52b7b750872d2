// Names the town's MCP server and its clients agree on: the server's name (Claude Code calls its
// tools `mcp__gastown__<tool>`) and the `_meta` keys a call uses to name the request it serves.
export const mcpServerName = 'gastown';

/** Request metadata a client may send with each call, for one server serving many requests. */
export const requestMetaKeys = { span: 'gastown/request_span', id: 'gastown/request_id' } as const;
