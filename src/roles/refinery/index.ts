// roles/refinery: The Refinery: the merge queue, landing verified branches on the target without breaking it
// (local, push or pull-request mode), PR watching, rework and outcomes.
// Layer rule: may import every layer below (up to the Witness); never Convoy or Deacon.
// Only the names below are used outside this folder; everything else is internal.

export type {
  FailedRequest,
  MergeRequest,
  MergeRequestFields,
  MergeRequestMove,
  MergeRequestState,
  MergedRequest,
  MergingRequest,
  PrOpenRequest,
  QueuedRequest,
  RawMergeRequest,
  ReworkRequest,
  SupersededRequest,
} from './merge-request-lifecycle.js';
export {
  expireMergingLeases,
  getMergeRequest,
  insertMergeRequest,
  mergeRequestStates,
  mergeRequestTransitions,
  moveMergeRequest,
  parseMergeRequest,
} from './merge-request-lifecycle.js';
export { refineryMergeQueue } from './merge-queue.js';
export { PrWatch } from './pr-watch.js';
export { Refinery } from './refinery.js';
