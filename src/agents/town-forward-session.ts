// Wires forwarding into a session: the `/exec` route for its loopback server, running commands
// with the session's environment (SessionStart.env: GT_TOWN, GT_ACTOR = the polecat, GT_SESSION,
// GT_BEAD) and recording each as `agent.town_command` — the polecat as actor, with the session and
// bead, so `gt trace` and `gt feed --bead` show what the agent did to the town next to the events
// the command recorded itself. The session opens the town for each record (the commands are few;
// a runtime holds no connection of its own).
import { existsSync } from 'node:fs';
import { townPaths } from '../town/paths.js';
import { openTownServices } from '../town/services.js';
import { townForwardPath, townForwardRoute } from './town-forward.js';
import type { TownCommandRecord, TownForwardOptions } from './town-forward.js';

export const townCommandKind = 'agent.town_command';

export function recordTownCommand(record: TownCommandRecord, env: Record<string, string | undefined>): void {
  // Opening would create an empty database where there is none; that is no town to record in.
  const { db } = townPaths(record.town);
  if (!existsSync(db)) throw new Error(`no town database at ${db}`);
  const town = openTownServices(record.town, { env });
  try {
    town.ledger.append({
      kind: townCommandKind,
      actor: record.actor,
      ...(record.bead === undefined ? {} : { bead_id: record.bead }),
      ...(record.session === undefined ? {} : { session_id: record.session }),
      payload: {
        argv: record.argv,
        exit_code: record.exitCode,
        ...(record.refused === undefined ? {} : { refused: record.refused }),
      },
    });
  } finally {
    town.close();
  }
}

/**
 * The routes a runtime's loopback server adds for its session (`startHookServer(handler, routes)`
 * in claude-code). `entry` finds the built gt (`dist/bin/gt.js`).
 */
export function townForwardRoutes(
  session: { env: Record<string, string>; worktree: string },
  entry: () => string,
  options: Pick<TownForwardOptions, 'node' | 'timeoutMs' | 'maxOutputBytes'> = {},
): Record<string, (body: unknown) => Promise<Record<string, unknown>>> {
  return {
    [townForwardPath]: townForwardRoute({
      ...options,
      env: session.env,
      worktree: session.worktree,
      entry,
      record: (record) => recordTownCommand(record, session.env),
    }),
  };
}
