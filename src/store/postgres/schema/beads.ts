// PostgreSQL DDL for beads, labels, dependencies, comments and the blocked cache.
// Placeholder: owned by the pg-beads helper, whose file replaces this one when the branches merge.
export const beadsDdl = '';
