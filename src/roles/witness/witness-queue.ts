// Where the Witness sends a verified branch: a merge queue behind a one-method interface, so the
// Witness never depends on how the Refinery keeps its queue. the real one is the Refinery's
// `refineryMergeQueue` (its `merge_requests`), wired by the daemon; tests may pass `recordingMergeQueue()` and look at what arrived.
// `enqueue` is synchronous: it runs inside the Witness's write transaction, so the queued request and
// the `witness.verified` event commit together or not at all.
/** What the Witness hands over for a verified branch. */
export interface MergeRequestInput {
  rig: string;
  beadId: string;
  polecat: string;
  branch: string;
  headCommit: string;
}

export interface MergeQueue {
  /** Synchronous (SQLite); idempotent per bead and head commit is best. */
  enqueue(request: MergeRequestInput, actor: string): unknown;
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
