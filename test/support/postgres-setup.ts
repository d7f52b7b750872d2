// vitest global setup: makes sure the PostgreSQL test server runs and hands its URL to every test
// file through GT_TEST_PG_URL. CI starts it in .ci/run first; locally this starts it on demand.
// Without the server binaries the suites that need PostgreSQL fail with the reason (never skip).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.GT_TEST_PG_URL) return;
  const script = fileURLToPath(new URL('../../scripts/test-postgres.sh', import.meta.url));
  try {
    process.env.GT_TEST_PG_URL = execFileSync(script, ['start'], { encoding: 'utf8' }).trim();
  } catch (error) {
    // Leave GT_TEST_PG_URL unset: testPostgresUrl() names the problem in each suite that needs it.
    process.stderr.write(`postgres test server: ${(error as Error).message}\n`);
  }
}
