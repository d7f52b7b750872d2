// `gt mcp`: the town's tools over MCP on stdio, for the Mayor (`gt mayor ask|attach` start it), Claude
// Code (`--mcp-config`) or any MCP client. Calls act as `mayor` (or --actor / $GT_ACTOR) and hang
// under the Overseer's request when $GT_REQUEST_SPAN names one. stdout carries the protocol only.
import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.js';
import { withTown } from '../town-context.js';

export function registerMcp(program: Command, io: CliIO): void {
  program
    .command('mcp')
    .description("serve the town's tools over MCP on stdio (rigs, beads, convoys, sling, status, mail)")
    .action((_flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { serveStdio } = await import('../../mcp/index.js');
        const { mayorActorOf, requestIdEnv, requestSpanOf } = await import('../../mayor/index.js');
        const requestSpan = requestSpanOf(io.env);
        const requestId = io.env[requestIdEnv]?.trim();
        await serveStdio({
          town: ctx,
          root: ctx.root,
          actor: command.optsWithGlobals<GlobalOptions>().actor ?? mayorActorOf(io.env),
          ...(requestSpan === undefined ? {} : { requestSpan }),
          ...(requestId ? { requestId } : {}),
        });
      }),
    );
}
