// The Mayor's side of `gt mcp`: starts the town's MCP server as a child (`gt --town <root> mcp`)
// through the SDK's stdio client, lists its tools in the model loop's terms and calls them, each
// call carrying the request it serves (MCP `_meta`), so one server can serve a whole REPL session.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ModelTool } from '../agents/model/index.js';
import { requestMetaKeys } from '../mcp/protocol.js';
import { mayorActor, requestIdEnv, requestSpanEnv } from './actor.js';
import type { MayorRequest } from './request.js';

export interface TownToolsConnection {
  tools: ModelTool[];
  call(name: string, input: Record<string, unknown>, request: MayorRequest): Promise<ToolOutput>;
  close(): Promise<void>;
}

export interface ToolOutput {
  output: string;
  isError: boolean;
}

export interface ConnectOptions {
  /** How to run `gt`: the executable and the arguments before the command (`node`, `dist/bin/gt.js`). */
  gt: readonly string[];
  root: string;
  env: Record<string, string | undefined>;
  /** The first request, also passed in the environment (for clients that send no `_meta`). */
  request?: MayorRequest;
}

export async function connectTownTools(options: ConnectOptions): Promise<TownToolsConnection> {
  const [command, ...prefix] = options.gt;
  if (command === undefined) throw new Error('connectTownTools: no gt command');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  env.GT_ACTOR = mayorActor;
  if (options.request) {
    env[requestSpanEnv] = options.request.span;
    env[requestIdEnv] = options.request.id;
  }
  const transport = new StdioClientTransport({
    command,
    args: [...prefix, '--town', options.root, 'mcp'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const client = new Client({ name: 'gastown-mayor', version: '0.1.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not start the town's MCP server (gt mcp): ${message}${stderr ? `\n${stderr.trim()}` : ''}`,
    );
  }
  const listed = await client.listTools();
  const tools: ModelTool[] = listed.tools.map((tool) => ({
    name: tool.name,
    description: tool.description ?? '',
    inputSchema: tool.inputSchema,
  }));
  return {
    tools,
    call: async (name, input, request) => {
      const result = await client.callTool({
        name,
        arguments: input,
        _meta: { [requestMetaKeys.span]: request.span, [requestMetaKeys.id]: request.id },
      });
      const content = Array.isArray(result.content)
        ? (result.content as { type: string; text?: string }[])
        : [];
      const output = content
        .map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type}]`))
        .join('\n');
      return { output, isError: result.isError === true };
    },
    close: () => client.close(),
  };
}
