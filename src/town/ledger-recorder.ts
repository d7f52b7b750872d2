// Wires the bead store's change reports into the ledger: each change becomes one event, appended
// in the store's own transaction.
import type { ChangeRecorder } from '../beads/index.js';
import type { Ledger } from '../ledger/index.js';

export function ledgerRecorder(ledger: Ledger): ChangeRecorder {
  return (change) => {
    ledger.append({
      kind: change.kind,
      actor: change.actor,
      ts: change.at,
      payload: change.payload,
      ...(change.bead_id === undefined ? {} : { bead_id: change.bead_id }),
    });
  };
}
