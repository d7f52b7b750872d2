// Where Claude Code keeps a conversation, so `--resume` finds it from another worktree. Claude
// stores each one as `<CLAUDE_CONFIG_DIR>/projects/<cwd, every other character than a letter or
// digit made '-'>/<session id>.jsonl` and `--resume <id>` looks only in the current directory's
// folder: a bead picked up by another polecat (crash recovery) would lose its conversation
// ("No conversation found with session ID"). Before resuming we copy the transcript across.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function projectDirName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Whether the conversation `id` can be resumed in `cwd`, copying its transcript there if needed. */
export function placeTranscript(configDir: string, cwd: string, id: string): boolean {
  const projects = join(configDir, 'projects');
  const file = `${id}.jsonl`;
  const target = join(projects, projectDirName(cwd), file);
  if (existsSync(target)) return true;
  let folders: string[];
  try {
    folders = readdirSync(projects);
  } catch {
    return false;
  }
  const source = folders.map((folder) => join(projects, folder, file)).find((path) => existsSync(path));
  if (source === undefined) return false;
  mkdirSync(join(projects, projectDirName(cwd)), { recursive: true });
  copyFileSync(source, target);
  return true;
}
