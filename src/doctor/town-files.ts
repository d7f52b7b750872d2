// The town's files: town.yaml and policy.yaml parse and validate; each registered rig has a
// rig.yaml that parses and its mirror `repo.git`. Messages name the file and, for YAML, the line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicy } from '../policy/index.js';
import { loadRigConfig, loadTownConfig, rigPaths, townPaths } from '../town/index.js';
import type { DoctorCheck, Finding } from './types.js';
import { fail, ok } from './types.js';

/** A YAML or schema error in one line: its first lines carry the file, line and field. */
const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error))
    .split('\n')
    .slice(0, 3)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

export const townFilesCheck: DoctorCheck = {
  name: 'town-files',
  town: true,
  run: async (ctx) => {
    const root = ctx.root!;
    const findings: Finding[] = [];
    const townYaml = townPaths(root).config;
    try {
      await loadTownConfig(root);
      findings.push(ok('town.yaml', `${townYaml} is valid`));
    } catch (error) {
      findings.push(fail('town.yaml', oneLine(error), `fix ${townYaml} at the place named`));
    }
    const policyYaml = join(root, 'policy.yaml');
    try {
      loadPolicy(policyYaml);
      findings.push(
        ok(
          'policy.yaml',
          existsSync(policyYaml) ? `${policyYaml} is valid` : 'no policy.yaml: built-in profile',
        ),
      );
    } catch (error) {
      findings.push(fail('policy.yaml', oneLine(error), `fix ${policyYaml} at the place named`));
    }
    for (const rig of ctx.rigs()) findings.push(...(await rigFindings(root, rig)));
    return findings;
  },
};

async function rigFindings(root: string, rig: string): Promise<Finding[]> {
  const paths = rigPaths(root, rig);
  const check = `rig:${rig}`;
  const findings: Finding[] = [];
  if (!existsSync(paths.config))
    findings.push(
      fail(
        check,
        `rig ${rig}: ${paths.config} is missing`,
        `restore it (name, git_url, branch, prefix), or \`gt rig remove ${rig}\``,
      ),
    );
  else {
    try {
      await loadRigConfig(paths.config);
    } catch (error) {
      findings.push(fail(check, `rig ${rig}: ${oneLine(error)}`, `fix ${paths.config} at the place named`));
    }
  }
  if (!existsSync(join(paths.repo, 'HEAD')))
    findings.push(
      fail(
        check,
        `rig ${rig}: its mirror ${paths.repo} is gone`,
        `restore it (\`git clone --bare <git_url from ${rig}/rig.yaml> ${paths.repo}\`), or \`gt rig remove ${rig}\``,
      ),
    );
  return findings.length > 0 ? findings : [ok(check, `rig ${rig}: rig.yaml valid, repo.git present`)];
}
