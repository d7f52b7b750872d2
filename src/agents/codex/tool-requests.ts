// What Codex asks to do, in the policy's vocabulary. Codex shows a command twice: raw in its
// PreToolUse hook (`tool_input.command`) and wrapped in its JSONL (`/bin/bash -lc '<raw>'`), so we
// unwrap the second to compare it with the first. File edits arrive as apply_patch text, whose
// `*** Add|Update|Delete File:` headers name every path it touches.
import { isAbsolute, resolve } from 'node:path';
import type { ToolRequest } from '../runtime.js';

/** Splits a POSIX shell line into words (quotes and backslashes only); undefined when unbalanced. */
export function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word = (word ?? '') + ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && '"\\$`\n'.includes(line[i + 1] ?? 'x')) word = (word ?? '') + (line[++i] ?? '');
      else word = (word ?? '') + ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

const shells = /^(?:\/usr)?(?:\/bin\/)?(?:ba|z|da)?sh$/;

/** The script inside `bash -lc '<script>'` (Codex's wrapping), or the command itself. */
export function unwrapShell(command: string): string {
  const words = shellWords(command);
  if (words?.length === 3 && shells.test(words[0] ?? '') && /^-l?c$/.test(words[1] ?? '')) {
    return words[2] ?? command;
  }
  return command;
}

export type PatchKind = 'add' | 'update' | 'delete';

export interface PatchPath {
  path: string;
  kind: PatchKind;
}

const patchHeader = /^\*\*\* (Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/;

/** True for an `apply_patch` invocation (Codex turns these into file changes itself). */
export function isPatchCommand(command: string): boolean {
  return /^\s*(?:apply_patch|applypatch)\b/.test(command) || command.includes('*** Begin Patch');
}

/** Every path a patch touches, in order; a move counts as adding its destination. */
export function patchPaths(patch: string): PatchPath[] {
  const paths: PatchPath[] = [];
  for (const line of patch.split('\n')) {
    const match = patchHeader.exec(line.trimEnd());
    if (!match) continue;
    const [, verb, path, moved] = match;
    if (moved !== undefined) paths.push({ path: moved.trim(), kind: 'add' });
    else if (verb !== undefined && path !== undefined)
      paths.push({ path: path.trim(), kind: verb.toLowerCase() as PatchKind });
  }
  return paths;
}

/** The policy's tool for a change: changing a file is `edit`, creating or removing one is `write`. */
export function fileTool(kind: string): 'edit' | 'write' {
  return kind === 'update' ? 'edit' : 'write';
}

export function absolutePath(path: string, cwd: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/** The PreToolUse hook's input, as much of it as we read. */
export interface HookInput {
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: unknown;
  tool_use_id?: string;
  cwd?: string;
}

function textField(input: unknown, ...names: string[]): string | undefined {
  if (typeof input === 'string') return input;
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function recordOf(input: unknown): Record<string, unknown> | undefined {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : undefined;
}

function patchRequests(callId: string, agentTool: string, patch: string): ToolRequest[] {
  const paths = patchPaths(patch);
  // A patch that names no file still has to pass the policy as what it is.
  if (paths.length === 0) return [{ callId, tool: 'run', command: patch, agentTool }];
  return paths.map((entry, index) => ({
    callId: paths.length === 1 ? callId : `${callId}#${index + 1}`,
    tool: fileTool(entry.kind),
    path: entry.path,
    agentTool,
  }));
}

/** The requests one PreToolUse call amounts to (a patch touching three files is three). */
export function requestsFromHook(input: HookInput, fallbackId: string): ToolRequest[] {
  const callId = input.tool_use_id ?? fallbackId;
  const name = input.tool_name ?? 'unknown';
  if (name === 'Bash' || name === 'exec_command' || name === 'shell') {
    const command = textField(input.tool_input, 'command', 'cmd') ?? '';
    if (isPatchCommand(command)) return patchRequests(callId, 'apply_patch', command);
    return [{ callId, tool: 'run', command, agentTool: 'exec_command' }];
  }
  if (name === 'apply_patch') {
    return patchRequests(callId, name, textField(input.tool_input, 'command', 'input', 'patch') ?? '');
  }
  const record = recordOf(input.tool_input);
  // Looking at an image reads a file, which the policy judges by its path.
  const imagePath = name === 'view_image' ? textField(input.tool_input, 'path') : undefined;
  if (imagePath !== undefined) return [{ callId, tool: 'read', path: imagePath, agentTool: name }];
  const tool = name.startsWith('mcp__') ? 'mcp' : name;
  return [{ callId, tool, agentTool: name, ...(record === undefined ? {} : { input: record }) }];
}
