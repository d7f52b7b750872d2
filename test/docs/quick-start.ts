// Reads the README's quick start and `.ci/run`, so tests can hold them to each other and run the
// README's commands as written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The shell commands of the fenced `sh` blocks in a README section, comments and blanks dropped. */
export function sectionCommands(readme: string, heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) =>
    block[1]!
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/** The packages of an `apt-get install -y …` line. */
export function aptPackages(line: string): string[] {
  const match = /^apt-get install -y ((?:[a-z0-9.+-]+ ?)+)$/.exec(line);
  if (!match) throw new Error(`not an "apt-get install -y <packages>" line: ${line}`);
  return match[1]!.trim().split(/\s+/).sort();
}

export interface CiScript {
  packages: string[];
  /** The commands after the package install, in order. */
  commands: string[];
}

/** `.ci/run`: its `packages=(…)` array and the plain commands it runs. */
export function ciScript(text: string): CiScript {
  const packages = /^packages=\(([^)]*)\)$/m.exec(text);
  if (!packages) throw new Error('.ci/run has no packages=(…) line');
  const commands = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^npm /.test(line));
  return { packages: packages[1]!.trim().split(/\s+/).sort(), commands };
}

export const readRepoFile = (path: string): string => readFileSync(`${repoRoot}${path}`, 'utf8');
