// The ledger repository: append (redacted, hash-chained, blobs by content), reads for the feed, the
// trace and the event tail, signed checkpoints and verification, over either store adapter. The
// chain's rules live in src/ledger/ (the core, no SQL); this folder holds only the ledger's SQL.
export { LedgerRepository } from './repository.js';
export type { LedgerRepositoryOptions } from './repository.js';
