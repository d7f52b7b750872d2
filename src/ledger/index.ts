// The ledger: one append-only, hash-chained record of every event in the town, with signed
// Merkle checkpoints, redaction of secrets before anything is written, verification, export and
// inclusion proofs. Rules: core code — no terminal, HTTP or process I/O; an event is appended in
// the same transaction as the change it describes; nothing here reads process.env.
export type { LedgerEvent, LedgerEventInput, LedgerRow, BlobRef } from './event.js';
export { isBlobRef } from './event.js';
export { Ledger } from './ledger.js';
export type { LedgerOptions, LedgerHead } from './ledger.js';
export { canonicalJson } from './canonical.js';
export { createRedactor, redactionKinds } from './redact.js';
export type { Redactor } from './redact.js';
export { createTownKey, loadTownKey, loadPublicKey, keyIdOf, privateKeyFile, publicKeyFile } from './keys.js';
export type { TownKey } from './keys.js';
export { createCheckpoint, listCheckpoints, checkpointSignatureValid, eventHashes } from './checkpoint.js';
export type { Checkpoint } from './checkpoint.js';
export { merkleRoot, inclusionProof, verifyInclusion } from './merkle.js';
export { verifyLedger, problemKinds } from './verify.js';
export type { VerifyReport, VerifyProblem, ProblemKind } from './verify.js';
export { queryEvents, getEvent, getBlob, verifyDatabase } from './read.js';
export type { EventQuery } from './read.js';
export { exportLines, parseExport, exportFormat } from './export.js';
export { traceIdForBead, newSpanId } from './trace-ids.js';
export { withParentSpan, currentParentSpan } from './span-context.js';
export { spanAncestors } from './span-ancestors.js';
export { describeEvent, describedKinds, eventCost, toolErrorChars } from './describe.js';
export { buildTrace } from './trace.js';
export type { BeadTrace, TraceBead, TraceNode, TraceTotals } from './trace.js';
