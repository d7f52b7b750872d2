// A real browser for end-to-end tests: Debian's chromium driven by playwright-core (never a
// downloaded browser), headless, with a fresh profile per launch. Tests skip when it is missing on a
// developer's machine; CI sets GT_TEST_REQUIRE_ALL=1, so there a missing browser fails them instead.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { makeTempDir } from './temp.js';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumMissing = !existsSync(chromiumPath) && process.env.GT_TEST_REQUIRE_ALL !== '1';
export const chromiumSkipReason = `${chromiumPath} is missing: apt-get install chromium (.ci/run installs it)`;

/** A browser context on a fresh profile (playwright passes it as --user-data-dir); close it when done. */
export async function launchBrowser(viewport = { width: 1400, height: 1000 }): Promise<BrowserContext> {
  const profile = await makeTempDir('gt-chromium');
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
