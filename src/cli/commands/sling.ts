// `gt sling`, `gt polecat list|status`, `gt done`: putting polecats to work and seeing what they do.
// Until the town daemon exists, a sling runs its session in the foreground and exits with its outcome.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';

interface SlingFlags {
  agent?: string;
  polecat?: string;
  contextRig?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerSling(program: Command, io: CliIO): void {
  program
    .command('sling <bead> <rig>')
    .description('hook a bead on a polecat, give it a worktree on its own branch, and run its session')
    .option('--agent <runtime>', 'the agent runtime (default: default_agent in town.yaml)')
    .option('--polecat <name>', 'the polecat (default: the first free name of the pool)')
    .option(
      '--context-rig <rig>',
      "another rig the agent reads: fetched to its target branch head and mounted read-only at ../.context/<rig> (repeatable; adds to the bead's context_rigs)",
      collect,
    )
    .action((beadId: string, rig: string, flags: SlingFlags, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { sling } = await import('../../roles/polecat/sling.js');
        const result = await sling({
          town: ctx,
          root: ctx.root,
          beadId,
          rig,
          actor: ctx.actor,
          home: io.env.HOME ?? homedir(),
          env: io.env,
          ...(flags.agent === undefined ? {} : { agent: flags.agent }),
          ...(flags.polecat === undefined ? {} : { polecat: flags.polecat }),
          ...(flags.contextRig === undefined ? {} : { contextRigs: flags.contextRig }),
          onStart: (info) => {
            if (!ctx.json)
              printLine(io, `Slung ${beadId} on ${rig}/polecats/${info.polecat} (branch ${info.branch})`);
          },
        });
        if (ctx.json) printJson(io, result);
        else {
          printLine(io, `${result.outcome === 'success' ? 'Done' : 'Failed'}: ${result.summary}`);
          if (result.commit) printLine(io, `Commit ${result.commit} on ${result.branch}`);
        }
        if (result.outcome !== 'success') {
          throw new GasTownError(ErrorCode.conflict, `session ${result.sessionId} ended: ${result.outcome}`, {
            shown: true,
            ids: { bead: beadId },
          });
        }
      }),
    );

  const polecat = program.command('polecat').description("the town's polecats (worker agents)");
  polecat
    .command('list')
    .description('every polecat with its state, bead and branch')
    .option('--rig <rig>', 'only this rig')
    .action((flags: { rig?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listPolecats } = await import('../../roles/polecat/index.js');
        const rows = listPolecats(ctx.db, flags.rig);
        if (ctx.json) return printJson(io, rows);
        if (rows.length === 0)
          return printLine(io, 'No polecats yet; `gt sling <bead> <rig>` puts one to work');
        for (const row of rows) {
          printLine(
            io,
            `${row.rig}/polecats/${row.name}  ${row.state}  ${row.bead_id ?? '-'}  ${row.branch ?? ''}`,
          );
        }
      }),
    );
  polecat
    .command('status <name>')
    .description('one polecat: state, bead, branch, worktree and its latest session')
    .option('--rig <rig>', 'the rig (needed when two rigs have a polecat of that name)')
    .action((name: string, flags: { rig?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { listPolecats } = await import('../../roles/polecat/index.js');
        const rows = listPolecats(ctx.db, flags.rig).filter((row) => row.name === name);
        const row = rows[0];
        if (!row) throw notFound('polecat', name);
        if (rows.length > 1)
          throw new GasTownError(
            ErrorCode.invalidInput,
            `--rig: polecat ${name} exists in ${rows.map((r) => r.rig).join(', ')}`,
          );
        const session = row.session_id
          ? ctx.db.prepare('SELECT * FROM sessions WHERE id = ?').get(row.session_id)
          : undefined;
        if (ctx.json) return printJson(io, { ...row, session: session ?? null });
        printLine(io, `${row.rig}/polecats/${row.name}: ${row.state}`);
        printLine(io, `  bead      ${row.bead_id ?? '-'}`);
        printLine(io, `  branch    ${row.branch ?? '-'}`);
        printLine(io, `  worktree  ${row.worktree ?? '-'}`);
        if (session) printLine(io, `  session   ${JSON.stringify(session)}`);
      }),
    );

  program
    .command('done')
    .description("inside a polecat's worktree: commit what is left and mark the bead ready for review")
    .action((_flags: unknown, command: Command) =>
      withTown(command, io, async (ctx) => {
        const { polecatByWorktree, movePolecat } = await import('../../roles/polecat/index.js');
        const { commitPolecatWork, markReadyForReview } = await import('../../roles/polecat/polecat-done.js');
        const row = findPolecat(realpathSync(io.cwd), (dir) => polecatByWorktree(ctx.db, dir));
        if (row === undefined || row.state === 'idle') {
          throw new GasTownError(
            ErrorCode.invalidInput,
            `gt done runs inside a polecat's worktree (${io.cwd} is not one)`,
          );
        }
        const saved = await commitPolecatWork(
          ctx,
          {
            rig: row.rig,
            polecat: row.name,
            bead: { id: row.bead_id },
            spec: { worktree: row.worktree },
            branch: row.branch,
          },
          row.session_id ?? 'manual',
          `${row.bead_id}: done`,
        );
        // A tampered work tree is never marked ready: its work is kept, the error says where.
        if (saved.tamper) throw saved.tamper;
        const commit = saved.commit;
        await markReadyForReview(ctx, { beadId: row.bead_id, rig: row.rig, polecat: row.name, commit });
        movePolecat(
          ctx.db,
          { rig: row.rig, name: row.name },
          { to: 'review' },
          { recordedBy: 'polecat.done' },
        );
        if (ctx.json) printJson(io, { bead: row.bead_id, commit: commit ?? null, branch: row.branch });
        else
          printLine(
            io,
            `${row.bead_id} is ready for review${commit ? ` (commit ${commit})` : ' (nothing new to commit)'}`,
          );
      }),
    );
}

function findPolecat<T>(start: string, lookup: (dir: string) => T | undefined): T | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const found = lookup(dir);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}
