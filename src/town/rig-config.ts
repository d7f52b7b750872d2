// `<rig>/rig.yaml`: where the rig's code comes from, the branch it merges into, the check that
// must pass, how merges land and how many polecats may work on it at once.
import { z } from 'zod';
import { readYamlFile, writeYamlFile } from './yaml-file.js';
import { rigNamePattern, rigPrefixPattern } from './rig-names.js';

/** `local`: the refinery merges in the mirror; `push`: and pushes to the remote; `pr`: opens a pull request. */
export const mergeModes = ['local', 'push', 'pr'] as const;
export type MergeMode = (typeof mergeModes)[number];

export const defaultRigMaxPolecats = 4;

export const rigConfigSchema = z.strictObject({
  name: z.string().regex(rigNamePattern),
  git_url: z.string().min(1),
  branch: z.string().min(1),
  /** Shell command run in the worktree; exit 0 means the change may merge. */
  check: z.string().min(1).nullable().default(null),
  merge_mode: z.enum(mergeModes).default('local'),
  prefix: z.string().regex(rigPrefixPattern),
  max_polecats: z.number().int().positive().default(defaultRigMaxPolecats),
  /** For merge_mode `pr`: the API base (GitHub Enterprise: `https://<host>/api/v3`) and `owner/name`. */
  github: z
    .strictObject({
      api_url: z.url().optional(),
      repo: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name')
        .optional(),
    })
    .optional(),
});
export type RigConfig = z.output<typeof rigConfigSchema>;
export type RigConfigInput = z.input<typeof rigConfigSchema>;

const header = 'Gas Town: rig settings. `gt` validates this file whenever it reads it.';

export async function loadRigConfig(file: string): Promise<RigConfig> {
  return readYamlFile(file, rigConfigSchema);
}

export async function writeRigConfig(file: string, config: RigConfig): Promise<void> {
  await writeYamlFile(file, header, config);
}
