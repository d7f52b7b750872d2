// GitHub, for merge mode `pr`: a tiny REST client (open a pull request) and the repository a git
// URL names. Only what the Refinery needs; no SDK.
export { openPullRequest, defaultGitHubApiUrl } from './client.js';
export type { GitHubClientOptions, PullRequest, PullRequestInput } from './client.js';
export { githubRepoOf, repoSlugPattern } from './repo-slug.js';
