// Git: present on PATH, and its version (worktrees and `--porcelain=v2` need a modern git).
import { tryGit } from '../git/index.js';
import type { DoctorCheck } from './types.js';
import { errorMessage, fail, ok, warn } from './types.js';

const install = 'run `apt-get install -y git` (Debian/Ubuntu) or `dnf install -y git` (Fedora)';

export const gitCheck: DoctorCheck = {
  name: 'git',
  town: false,
  run: async () => {
    let out: string;
    try {
      const result = await tryGit(['--version']);
      if (result.exitCode !== 0)
        return [fail('git', `git --version failed: ${result.stderr.trim()}`, install)];
      out = result.stdout.trim();
    } catch (error) {
      return [fail('git', `git is not installed: ${errorMessage(error)}`, install)];
    }
    const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(out) ?? []).slice(1).map(Number);
    if (major < 2 || (major === 2 && minor < 25))
      return [warn('git', `${out} is old; gt is tested with git 2.39`, `upgrade git (${install})`)];
    return [ok('git', out)];
  },
};
