// The write and edit tools. Write creates the parent directories and replaces the file with the
// content; edit reads the file, replaces `oldText`, which must occur exactly once, and writes it
// back. Both follow a symlink the way the shell's `>` does, with the sandbox's rights.
import type { ToolRequest } from '../../agents/index.js';
import type { FileToolContext, FileToolResult } from './file-tools-shell.js';
import {
  PathExit,
  failure,
  fromBase64,
  parentOperand,
  regularFileChecks,
  runScript,
  scriptFailure,
  shown,
  writeScripts,
} from './file-tools-shell.js';

/** The largest file edit works on; bigger ones are better changed by a command. */
const maxEditBytes = 4 * 1024 * 1024;

async function writeBytes(
  context: FileToolContext,
  path: string,
  bytes: Buffer,
  prepare: string[],
): Promise<FileToolResult | undefined> {
  for (const script of writeScripts(path, bytes, prepare)) {
    const result = await runScript(context, script);
    if (result.exitCode !== 0 || result.timedOut || result.aborted) {
      return scriptFailure(result, path, 'writing');
    }
  }
  return undefined;
}

export async function writeTool(request: ToolRequest, context: FileToolContext): Promise<FileToolResult> {
  const { path, content } = request;
  if (!path) return failure('the write tool needs a path');
  if (content === undefined) return failure('the write tool needs content (it may be empty)');
  const bytes = Buffer.from(content, 'utf8');
  const prepare = [
    `if [ -d "$f" ]; then exit ${PathExit.directory}; fi`,
    `mkdir -p ${parentOperand(path)} || exit ${PathExit.failed}`,
  ];
  const failed = await writeBytes(context, path, bytes, prepare);
  return failed ?? { status: 'ok', output: `wrote ${bytes.length} bytes to ${shown(path)}` };
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

export async function editTool(request: ToolRequest, context: FileToolContext): Promise<FileToolResult> {
  const { path, oldText, newText } = request;
  if (!path) return failure('the edit tool needs a path');
  if (!oldText) return failure('the edit tool needs a non-empty oldText to replace');
  if (newText === undefined) return failure('the edit tool needs newText (it may be empty)');
  if (oldText === newText) return failure('oldText and newText are the same; nothing to change');

  const read = await runScript(context, [
    ...regularFileChecks(path),
    `size=$(wc -c < "$f") || exit ${PathExit.failed}`,
    `if [ "$size" -gt ${maxEditBytes} ]; then exit ${PathExit.tooBig}; fi`,
    `base64 -w0 < "$f" || exit ${PathExit.failed}`,
  ]);
  if (read.exitCode === PathExit.tooBig) {
    return failure(
      `${shown(path)} is larger than ${maxEditBytes} bytes; change it with a command`,
      read.exitCode,
    );
  }
  if (read.exitCode !== 0 || read.timedOut || read.aborted) return scriptFailure(read, path, 'reading');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(read.stdout));
  } catch {
    return failure(`${shown(path)} is not UTF-8 text; the edit tool changes text files only`);
  }

  const first = text.indexOf(oldText);
  if (first < 0) {
    return failure(`oldText does not occur in ${shown(path)}; read the file and copy the text exactly`);
  }
  if (text.indexOf(oldText, first + 1) >= 0) {
    const lines: number[] = [];
    for (let at = first; at >= 0 && lines.length < 10; at = text.indexOf(oldText, at + 1)) {
      lines.push(lineOf(text, at));
    }
    return failure(
      `oldText occurs more than once in ${shown(path)} (at lines ${lines.join(', ')}); ` +
        'include more of the surrounding text so it occurs exactly once',
    );
  }
  const changed = text.slice(0, first) + newText + text.slice(first + oldText.length);
  const failed = await writeBytes(context, path, Buffer.from(changed, 'utf8'), []);
  return failed ?? { status: 'ok', output: `edited ${shown(path)} at line ${lineOf(text, first)}` };
}
