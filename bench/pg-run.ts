// `npm run bench:pg`: the PostgreSQL bead benches alone (they also run inside `npm run bench`).
// Needs the local test server (scripts/test-postgres.sh starts it) or GT_BENCH_PG_URL.
import { performance } from 'node:perf_hooks';
import { benchPostgresBeads } from './pg-beads.js';
import { line, progress } from './report.js';

const started = performance.now();
line(`Gas Town PostgreSQL bead bench (node ${process.version}, ${process.platform}/${process.arch})`);
await benchPostgresBeads();
progress(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
