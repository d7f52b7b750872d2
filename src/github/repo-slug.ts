// Which GitHub repository a rig's git URL names (`owner/name`), for rigs whose rig.yaml does not
// say it: `https://github.com/o/n(.git)`, `git@github.com:o/n.git`, `ssh://git@github.com/o/n`.
const githubUrl =
  /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/]+@)github\.com[:/]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/;

export const repoSlugPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** `owner/name` for a github.com URL, else undefined. */
export function githubRepoOf(gitUrl: string): string | undefined {
  const match = githubUrl.exec(gitUrl.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const slug = `${match[1]}/${match[2]}`;
  return repoSlugPattern.test(slug) ? slug : undefined;
}
