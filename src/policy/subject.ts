// What a rule is tested against. A file call is one subject; a command is one subject per part,
// with its working directory and operands already resolved; a call with neither is bare.
import { commandName } from './shell/word.js';
import { ShellSyntaxError } from './shell/cursor.js';
import { splitCommand } from './shell/split.js';
import type { CommandPart } from './shell/types.js';
import { operandsOf } from './operands/index.js';
import type { Place, ResolvedEnv } from './paths.js';
import { resolveCallPath, resolveWord } from './paths.js';
import type { ToolCall } from './types.js';

export type FileAccess = 'read' | 'write' | 'other';

export interface FileSubject {
  kind: 'file';
  call: ToolCall;
  access: FileAccess;
  path: string;
}

/** Resolved operands; `undefined` entries are paths only known when the command runs. */
export interface CommandSubject {
  kind: 'command';
  call: ToolCall;
  part: CommandPart;
  /** The command's name (argv[0] without its directory); '' for a bare redirection. */
  name: string;
  /** The part's working directory, undefined when a `cd` went somewhere unknown. */
  cwd: string | undefined;
  reads: (Place | undefined)[];
  writes: (Place | undefined)[];
  deletes: (Place | undefined)[];
  modes: (Place | undefined)[];
}

export interface BareSubject {
  kind: 'bare';
  call: ToolCall;
}

export type Subject = FileSubject | CommandSubject | BareSubject;

const readTools = new Set(['read', 'search', 'list']);
const writeTools = new Set(['write', 'edit']);

export function fileAccess(tool: string): FileAccess {
  return readTools.has(tool) ? 'read' : writeTools.has(tool) ? 'write' : 'other';
}

export function subjectsOf(call: ToolCall, env: ResolvedEnv): Subject[] {
  const subjects: Subject[] = [];
  if (call.path !== undefined)
    subjects.push({
      kind: 'file',
      call,
      access: fileAccess(call.tool),
      path: resolveCallPath(call.path, env),
    });
  if (call.command !== undefined)
    for (const part of partsOf(call.command)) subjects.push(commandSubject(call, part, env));
  return subjects.length > 0 ? subjects : [{ kind: 'bare', call }];
}

/** The command's parts; a command we cannot parse is one `unparsed` part holding all of it. */
function partsOf(command: string): CommandPart[] {
  try {
    return splitCommand(command);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    return [
      { text: command, argv: [], words: [], assignments: [], redirects: [], feeds: [], via: 'unparsed' },
    ];
  }
}

function commandSubject(call: ToolCall, part: CommandPart, env: ResolvedEnv): CommandSubject {
  const cwd = part.cwd === undefined ? env.cwd : resolveWord(part.cwd, env.cwd, env)?.path;
  const ops = operandsOf(part);
  const resolve = (words: typeof ops.reads) => words.map((w) => resolveWord(w, cwd, env));
  return {
    kind: 'command',
    call,
    part,
    name: commandName(part.argv[0]),
    cwd,
    reads: resolve(ops.reads),
    writes: resolve(ops.writes),
    deletes: resolve(ops.deletes),
    modes: resolve(ops.modes),
  };
}

export function known(places: (Place | undefined)[]): Place[] {
  return places.filter((p): p is Place => p !== undefined);
}

export function commandArgs(subject: CommandSubject): string[] {
  return subject.part.argv.slice(1);
}
