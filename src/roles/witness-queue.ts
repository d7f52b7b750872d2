// Where the Witness sends a verified branch: a merge queue behind a one-method interface, so the
// Witness never depends on how the Refinery keeps its queue. `refineryMergeQueue` is the real one
// (the Refinery's `merge_requests`); tests may pass `recordingMergeQueue()` and look at what arrived.
// `enqueue` is synchronous: it runs inside the Witness's write transaction, so the queued request and
// the `witness.verified` event commit together or not at all.
import type { TownServices } from '../town/services.js';
import type { MergeRequestInput } from './merge-queue.js';
import { enqueueMergeRequest } from './merge-queue.js';

export type { MergeRequestInput };

export interface MergeQueue {
  /** Synchronous (SQLite); idempotent per bead and head commit is best. */
  enqueue(request: MergeRequestInput, actor: string): unknown;
}

/** The Refinery's queue in the town database. */
export function refineryMergeQueue(town: TownServices): MergeQueue {
  return { enqueue: (request, actor) => enqueueMergeRequest(town, request, actor) };
}

export interface RecordingMergeQueue extends MergeQueue {
  readonly requests: (MergeRequestInput & { actor: string })[];
}

/** An in-memory queue that only remembers what it was given. */
export function recordingMergeQueue(): RecordingMergeQueue {
  const requests: (MergeRequestInput & { actor: string })[] = [];
  return {
    requests,
    enqueue(request, actor) {
      requests.push({ ...request, actor });
    },
  };
}
