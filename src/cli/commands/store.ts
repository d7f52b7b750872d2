// `gt store status [--json]` and `gt store migrate`: which store the town uses (the SQLite file, or
// the PostgreSQL server `store.url` names — shown without its password), the schema version it is
// at, and applying pending migrations. See docs/store.md.
import type { Command } from 'commander';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { locateTown, openTownStore } from '../../town/index.js';
import type { Store } from '../../store/store.js';

const help = `
The town's state lives in .gt/town.db (SQLite) unless town.yaml sets store.url to a PostgreSQL
server (postgres://user@host:port/database; the password comes from \${VAR} in the URL or from
PGPASSWORD, never from the file). See docs/store.md.`;

export function registerStore(program: Command, io: CliIO): void {
  const store = program
    .command('store')
    .description("the town's state store: which backend, its schema version, migrations")
    .addHelpText('after', help);

  store
    .command('status')
    .description('the backend, where it is (never a password) and its schema version')
    .action((_flags: object, command: Command) =>
      withStore(command, io, false, async (opened, json) => {
        const schema = await opened.schema();
        const current = schema.version === schema.latest;
        if (json)
          return printJson(io, {
            backend: opened.kind,
            where: opened.where,
            schema_version: schema.version,
            latest: schema.latest,
            current,
          });
        printLine(io, `backend: ${opened.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
        printLine(io, `where:   ${opened.where}`);
        printLine(
          io,
          `schema:  version ${schema.version}${current ? ' (latest)' : `, latest ${schema.latest}: run \`gt store migrate\``}`,
        );
      }),
    );

  store
    .command('migrate')
    .description('apply pending schema migrations to the configured store')
    .action((_flags: object, command: Command) =>
      withStore(command, io, false, async (opened, json) => {
        const report = await opened.migrate();
        if (json) return printJson(io, { backend: opened.kind, where: opened.where, ...report });
        if (report.applied.length === 0)
          return printLine(io, `${opened.where}: schema at version ${report.to} (latest), nothing to apply`);
        for (const version of report.applied) printLine(io, `applied version ${version}`);
        printLine(io, `${opened.where}: schema version ${report.from} -> ${report.to}`);
      }),
    );
}

async function withStore(
  command: Command,
  io: CliIO,
  migrate: boolean,
  fn: (store: Store, json: boolean) => Promise<void>,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const root = locateTown({ flag: globals.town, env: io.env, cwd: io.cwd });
  const opened = await openTownStore(root, { migrate, env: io.env });
  try {
    await fn(opened, globals.json === true);
  } finally {
    await opened.close();
  }
}
