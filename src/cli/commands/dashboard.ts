// `gt dashboard [--url]`: where the daemon serves the dashboard, with the access token in the URL
// fragment (browsers never send a fragment to the server, so the token stays out of logs).
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { ErrorCode, GasTownError } from '../../errors.js';
import { locateTown, townPaths } from '../../town/index.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';

export function registerDashboard(program: Command, io: CliIO): void {
  program
    .command('dashboard')
    .description("the dashboard's address with its access token (served by `gt up` on 127.0.0.1)")
    .option('--url', 'print only the URL (token in its fragment), e.g. for xdg-open')
    .action(async (flags: { url?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
      const gtDir = townPaths(root).gtDir;
      const { dashboardFile, ensureToken } = await import('../../dashboard/index.js');
      const { processLive } = await import('../../daemon/pid-file.js');
      const file = dashboardFile(gtDir);
      const record = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string; host: string; port: number })
        : undefined;
      if (!record || !processLive(record.pid))
        throw new GasTownError(
          ErrorCode.notFound,
          'the dashboard is not being served: `gt up` starts the daemon, which serves it (see .gt/daemon.log)',
        );
      const token = ensureToken(gtDir);
      const url = `${record.url}#token=${token}`;
      if (globals.json)
        return printJson(io, { url, base: record.url, token, host: record.host, port: record.port });
      if (flags.url) return printLine(io, url);
      printLine(io, `Dashboard: ${url}`);
      printLine(io, `API token (Authorization: Bearer …): ${token}`);
    });
}
