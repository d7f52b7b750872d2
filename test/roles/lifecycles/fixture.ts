// A real town database for the lifecycle tests, and the checks every table-driven case shares: a
// refused move throws `illegal_transition` and leaves the row and the ledger as they were.
import { expect } from 'vitest';
import { ErrorCode, GasTownError } from '../../../src/errors.js';
import type { TownServices } from '../../../src/town/services.js';
import { openTownServices } from '../../../src/town/services.js';
import { makeTown } from '../../support/town.js';

export async function lifecycleTown(): Promise<{ root: string; town: TownServices }> {
  const { root } = await makeTown('lifecycles');
  const town = openTownServices(root, { env: {} });
  town.db
    .prepare(
      `INSERT INTO rigs (name, prefix, git_url, branch, created_at) VALUES ('web', 'web', 'x', 'main', 'now')`,
    )
    .run();
  return { root, town };
}

export function ledgerHead(town: TownServices): number {
  return town.ledger.head().seq;
}

export function lastKind(town: TownServices): string | undefined {
  return town.db.prepare('SELECT kind FROM ledger ORDER BY seq DESC LIMIT 1').pluck().get() as
    string | undefined;
}

/** Runs `move`, expects `illegal_transition` naming the entity, and nothing changed. */
export function expectRefused(
  town: TownServices,
  snapshot: () => unknown,
  move: () => unknown,
  names: { from: string; to: string },
): void {
  const before = snapshot();
  const head = ledgerHead(town);
  let thrown: unknown;
  try {
    move();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GasTownError);
  const error = thrown as GasTownError;
  expect(error.code).toBe(ErrorCode.illegalTransition);
  expect(error.ids).toMatchObject(names);
  expect(error.message).toContain(`from ${names.from} to ${names.to}`);
  expect(snapshot()).toEqual(before);
  expect(ledgerHead(town)).toBe(head);
}
