// The `--settings` Claude Code runs with: every PreToolUse, PostToolUse, PostToolUseFailure, Stop
// and SessionStart hook calls `gt hook <event>` (this very CLI, by absolute paths), which forwards
// to the session. Claude Code runs a hook's command through a shell, so each path is quoted.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GasTownError, ErrorCode } from '../../errors.js';
import { claudeHookTimeoutSeconds, failureExit, hookEvents } from './hook-protocol.js';
import type { HookEvent } from './hook-protocol.js';

/** Where the `gt` CLI lives: its bundle and the package around it (dist, node_modules). */
export interface GtInstall {
  root: string;
  bundle: string;
}

function isGastownPackage(dir: string): boolean {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return json.name === 'gastown';
  } catch {
    return false;
  }
}

/**
 * Finds the package this module belongs to (the bundle in `dist/bin/`, or the sources under a test
 * runner) and its `dist/bin/gt.js`; the process's own script when that is the bundle.
 */
export function findGtInstall(from: string = fileURLToPath(import.meta.url)): GtInstall {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const bundle = join(dir, 'dist', 'bin', 'gt.js');
    if (isGastownPackage(dir) && existsSync(bundle)) return { root: dir, bundle };
    if (dirname(dir) === dir) break;
  }
  const script = process.argv[1];
  if (script !== undefined && script.endsWith(join('bin', 'gt.js')) && existsSync(script)) {
    return { root: dirname(dirname(dirname(script))), bundle: script };
  }
  throw new GasTownError(
    ErrorCode.internal,
    `claude-code: cannot find the gt CLI bundle (dist/bin/gt.js) near ${from} for Claude Code's hooks; run \`npm run build\``,
  );
}

/** One shell word, whatever the path holds. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The shell command for one hook. Should node itself fail (a missing bundle, a crash), its exit
 * code 1 would let the call through, so the command turns any failure into the event's own.
 */
export function hookCommand(node: string, bundle: string, event: HookEvent): string {
  return `${[node, bundle, 'hook', event].map(shellQuote).join(' ')} || exit ${failureExit(event)}`;
}

/** The settings JSON (as given to `--settings`) with our hooks on every tool and the session's ends. */
export function claudeSettings(node: string, bundle: string): string {
  const hook = (event: HookEvent) => ({
    type: 'command',
    command: hookCommand(node, bundle, event),
    timeout: claudeHookTimeoutSeconds,
  });
  const onTools = (event: HookEvent) => [{ matcher: '*', hooks: [hook(event)] }];
  const always = (event: HookEvent) => [{ hooks: [hook(event)] }];
  return JSON.stringify({
    hooks: {
      [hookEvents['pre-tool-use']]: onTools('pre-tool-use'),
      [hookEvents['post-tool-use']]: onTools('post-tool-use'),
      [hookEvents['post-tool-use-failure']]: onTools('post-tool-use-failure'),
      [hookEvents.stop]: always('stop'),
      [hookEvents['session-start']]: always('session-start'),
    },
  });
}
