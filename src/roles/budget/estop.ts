// `gt estop` freezes every agent process at once (SIGSTOP to each running step's process group)
// and stops new steps from starting; `gt thaw` resumes them. Both are ledger events with a reason.
import { writeTx } from '../../db/open.js';
import type { TownServices } from '../../town/services.js';
import { setTownState } from './town-state.js';

interface RunningStep {
  id: string;
  rig: string;
  pgid: number | null;
}

function runningSteps(town: TownServices, rig: string | undefined): RunningStep[] {
  const rows = town.db
    .prepare<[], RunningStep>(`SELECT id, rig, pgid FROM sessions WHERE state = 'running'`)
    .all();
  return rows.filter((row) => rig === undefined || row.rig === rig);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // Never our own group: the sessions of a foreground `gt sling` record the gt process itself.
  if (pgid <= 1 || pgid === process.pid) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface EstopResult {
  scope: string;
  signalled: number;
}

export function estop(town: TownServices, actor: string, reason: string, rig?: string): EstopResult {
  const scope = rig === undefined ? 'town' : `rig:${rig}`;
  const steps = runningSteps(town, rig);
  const signalled = steps.filter((step) => step.pgid !== null && signalGroup(step.pgid, 'SIGSTOP')).length;
  writeTx(town.db, () => {
    setTownState(town.db, `frozen:${scope}`, JSON.stringify({ actor, reason, at: new Date().toISOString() }));
    town.ledger.append({
      kind: 'town.estop',
      actor,
      payload: { scope, reason, sessions: steps.map((s) => s.id), signalled },
    });
  });
  return { scope, signalled };
}

export function thaw(town: TownServices, actor: string, reason: string, rig?: string): EstopResult {
  const scope = rig === undefined ? 'town' : `rig:${rig}`;
  const steps = runningSteps(town, rig);
  const signalled = steps.filter((step) => step.pgid !== null && signalGroup(step.pgid, 'SIGCONT')).length;
  writeTx(town.db, () => {
    setTownState(town.db, `frozen:${scope}`, undefined);
    town.ledger.append({ kind: 'town.thaw', actor, payload: { scope, reason, signalled } });
  });
  return { scope, signalled };
}
