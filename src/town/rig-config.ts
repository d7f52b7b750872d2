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
  name: z
    .string()
    .regex(rigNamePattern)
    .describe("The rig's name, also its directory under the town. Fixed when the rig is added."),
  git_url: z
    .string()
    .min(1)
    .describe('Where the code comes from: anything `git clone` takes. Fixed when the rig is added.'),
  branch: z.string().min(1).describe('The target branch merges land on. Fixed when the rig is added.'),
  check: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe(
      'Shell command run in the worktree by the Witness and again by the Refinery after rebasing; exit 0 means the change may merge. null: no check.',
    ),
  merge_mode: z
    .enum(mergeModes)
    .default('local')
    .describe(
      'How the Refinery lands a change: `local` merges in the mirror, `push` also pushes to the remote, `pr` opens a GitHub pull request and watches it.',
    ),
  prefix: z
    .string()
    .regex(rigPrefixPattern)
    .describe('Bead id prefix (`<prefix>-<id>`), unique in the town. Fixed when the rig is added.'),
  max_polecats: z
    .number()
    .int()
    .positive()
    .default(defaultRigMaxPolecats)
    .describe('Polecats that may work on this rig at once (the town-wide cap applies too).'),
  github: z
    .strictObject({
      api_url: z
        .url()
        .optional()
        .describe(
          'REST API base. Unset: `https://api.github.com`; GitHub Enterprise Server: `https://<host>/api/v3`.',
        ),
      repo: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name')
        .optional()
        .describe(
          'The repository pull requests open on, `owner/name`. Unset: read from a github.com `git_url`.',
        ),
      require_review: z
        .boolean()
        .default(false)
        .describe('With `auto_merge`: merge only after an approving review (and no request for changes).'),
      auto_merge: z
        .boolean()
        .default(false)
        .describe(
          "The town merges the pull request itself (GitHub's merge endpoint) once its check passed and, with `require_review`, a reviewer approved. Off: people merge it; the town notices.",
        ),
      poll_seconds: z
        .number()
        .int()
        .min(5)
        .default(30)
        .describe(
          'How often an open pull request is polled (with ETags: an unchanged one costs no rate limit). Failures back off, doubling up to 10 minutes; a rate limit is waited out.',
        ),
    })
    .optional()
    .describe('For merge_mode `pr`: which GitHub (or GitHub Enterprise) repository, and how to reach it.'),
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
