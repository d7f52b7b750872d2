// Capacity caps: how many polecats may be `working` at once in the whole town (town.yaml
// `concurrency.max_polecats`) and in one rig (rig.yaml `max_polecats`). Every sling asks first, a
// convoy's dispatch included; a sling past a cap is refused with a retryable conflict that names the cap.
import { existsSync } from 'node:fs';
import type { Db } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import { loadRigConfig, loadTownConfig, rigPaths } from '../../town/index.js';

export interface CapacityView {
  rig: string;
  townWorking: number;
  townMax: number;
  rigWorking: number;
  /** Undefined when the rig has no rig.yaml (no rig cap then). */
  rigMax: number | undefined;
}

/** Working polecats against the caps, without refusing anything. */
export async function capacityOf(town: { db: Db }, root: string, rig: string): Promise<CapacityView> {
  const config = await loadTownConfig(root);
  const file = rigPaths(root, rig).config;
  const rigMax = existsSync(file) ? (await loadRigConfig(file)).max_polecats : undefined;
  const count = (where: string, ...args: string[]) =>
    town.db
      .prepare<string[], { n: number }>(`SELECT count(*) AS n FROM polecats WHERE state = 'working'${where}`)
      .get(...args)?.n ?? 0;
  return {
    rig,
    townWorking: count(''),
    townMax: config.concurrency.max_polecats,
    rigWorking: count(' AND rig = ?', rig),
    rigMax,
  };
}

/** Throws a retryable `conflict` when one more working polecat in `rig` would pass a cap. */
export async function checkCapacity(town: { db: Db }, root: string, rig: string): Promise<CapacityView> {
  const view = await capacityOf(town, root, rig);
  if (view.townWorking >= view.townMax) {
    throw capacityError(
      `the town is at capacity: ${view.townWorking} of ${view.townMax} polecats working (town.yaml concurrency.max_polecats)`,
      rig,
    );
  }
  if (view.rigMax !== undefined && view.rigWorking >= view.rigMax) {
    throw capacityError(
      `rig ${rig} is at capacity: ${view.rigWorking} of ${view.rigMax} polecats working (${rig}/rig.yaml max_polecats)`,
      rig,
    );
  }
  return view;
}

export function isCapacityError(error: unknown): error is GasTownError {
  return error instanceof GasTownError && error.ids.capacity !== undefined;
}

function capacityError(message: string, rig: string): GasTownError {
  return new GasTownError(ErrorCode.conflict, `${message}; try again when one finishes`, {
    retryable: true,
    ids: { rig, capacity: 'max_polecats' },
  });
}
