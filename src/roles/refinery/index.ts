// The Refinery subsystem's public face. For now it holds the merge request's lifecycle (queued →
// merging → merged | rework | failed | pr_open, superseded, queued again) with its transition
// table, per-state row types and its one mover. The Refinery's other files join this folder when
// src/roles is split by subsystem.
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
