// The README's quick start and CI's script say the same thing: the Debian packages to install, the
// install command, and the one test command. A change to one that forgets the other fails here.
import { describe, expect, it } from 'vitest';
import { aptPackages, ciScript, readRepoFile, sectionCommands } from './quick-start.js';

const readme = readRepoFile('README.md');
const ci = ciScript(readRepoFile('.ci/run'));
const [quickStart, testing] = sectionCommands(readme, 'Quick start');

describe('README and .ci/run', () => {
  it('has the two-command quick start: one apt-get line, then npm ci && npx gt demo', () => {
    expect(quickStart).toEqual(['apt-get install -y git bubblewrap', 'npm ci && npx gt demo']);
  });

  it('installs for the tests exactly the packages CI installs, and the demo needs a subset', () => {
    expect(testing).toHaveLength(2);
    expect(aptPackages(testing![0]!)).toEqual(ci.packages);
    for (const pkg of aptPackages(quickStart![0]!)) expect(ci.packages).toContain(pkg);
  });

  it('runs the same test command as CI, after the same install', () => {
    expect(testing![1]).toBe('npm test');
    expect(ci.commands.at(-1)).toBe('npm test');
    expect(ci.commands.some((command) => command.startsWith('npm ci'))).toBe(true);
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toMatch(/vitest run/);
    expect(pkg.scripts.prepare).toBe('npm run build');
  });
});
