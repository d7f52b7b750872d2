// `gt doctor`: runs every check (machine checks always; town checks inside a town) and, with
// `fix`, the safe repairs — each recorded in the ledger — then checks again, so what it prints is
// the state the town is in now.
import { existsSync } from 'node:fs';
import type { Db } from '../db/open.js';
import { openDb } from '../db/open.js';
import { listRigs, townPaths } from '../town/index.js';
import { openTownServices } from '../town/services.js';
import { agentsCheck } from './agents.js';
import { branchesCheck } from './branches.js';
import { bubblewrapCheck } from './bubblewrap.js';
import { daemonFilesCheck } from './daemon-files.js';
import { databaseCheck } from './database.js';
import { diskCheck } from './disk.js';
import { endpointsCheck } from './endpoints.js';
import { gitCheck } from './git-binary.js';
import { ledgerCheck } from './ledger.js';
import { nodeCheck } from './node-version.js';
import { storeCheck } from './store.js';
import { townFilesCheck } from './town-files.js';
import type { DoctorCheck, DoctorContext, Finding } from './types.js';
import { errorMessage, fail, ok } from './types.js';
import { worktreesCheck } from './worktrees.js';

/** In the order they print; worktrees before branches, so --fix frees a branch before deleting it. */
export const doctorChecks: readonly DoctorCheck[] = [
  nodeCheck,
  gitCheck,
  bubblewrapCheck,
  agentsCheck,
  diskCheck,
  townFilesCheck,
  endpointsCheck,
  storeCheck,
  databaseCheck,
  ledgerCheck,
  daemonFilesCheck,
  worktreesCheck,
  branchesCheck,
];

export interface DoctorOptions {
  root: string | undefined;
  env: Record<string, string | undefined>;
  fix?: boolean;
  actor?: string;
  endpointTimeoutMs?: number;
  diskWarnBytes?: number;
}

export interface DoctorReport {
  findings: Finding[];
  /** What --fix did, one line each. */
  repairs: string[];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const repairs: string[] = [];
  if (options.fix && options.root !== undefined) {
    const before = await withContext(options, (ctx) => runChecks(ctx));
    const repairable = doctorChecks.filter(
      (c) => c.repair !== undefined && before.some((f) => f.status !== 'ok' && f.check === c.name),
    );
    for (const check of repairable) {
      const done = await withContext(options, async (ctx) => check.repair!(ctx)).catch((error: unknown) => [
        `${check.name}: repair failed: ${errorMessage(error)}`,
      ]);
      repairs.push(...done);
      if (done.length > 0) record(options, check.name, done);
    }
  }
  return { findings: await withContext(options, (ctx) => runChecks(ctx)), repairs };
}

async function runChecks(ctx: DoctorContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (ctx.root === undefined) findings.push(ok('town', 'not in a town: machine checks only'));
  for (const check of doctorChecks) {
    if (check.town && ctx.root === undefined) continue;
    try {
      findings.push(...(await check.run(ctx)));
    } catch (error) {
      findings.push(
        fail(check.name, `the check itself failed: ${errorMessage(error)}`, 'report this as a gt bug'),
      );
    }
  }
  return findings;
}

async function withContext<T>(options: DoctorOptions, fn: (ctx: DoctorContext) => Promise<T>): Promise<T> {
  let db: Db | undefined;
  let opened = false;
  const open = (): Db | undefined => {
    if (!opened && options.root !== undefined) {
      opened = true;
      const file = townPaths(options.root).db;
      try {
        db = existsSync(file) ? openDb(file, { readonly: true }) : undefined;
      } catch {
        db = undefined;
      }
    }
    return db;
  };
  const ctx: DoctorContext = {
    root: options.root,
    env: options.env,
    db: open,
    rigs: () => {
      const handle = open();
      try {
        return handle ? listRigs(handle).map((rig) => rig.name) : [];
      } catch {
        return [];
      }
    },
    endpointTimeoutMs: options.endpointTimeoutMs ?? 2000,
    diskWarnBytes: options.diskWarnBytes ?? 1024 ** 3,
  };
  try {
    return await fn(ctx);
  } finally {
    db?.close();
  }
}

/** Each repair goes in the ledger, as the Overseer's doing (through `gt doctor --fix`). */
function record(options: DoctorOptions, check: string, actions: string[]): void {
  const town = openTownServices(options.root!, { env: options.env });
  try {
    for (const action of actions)
      town.ledger.append({
        kind: 'doctor.repaired',
        actor: options.actor ?? 'overseer',
        payload: { check, action },
      });
  } finally {
    town.close();
  }
}
