// The read, list and search tools. Read shows a file (or a line range) up to 64 KiB and says how
// much it left out; list walks a directory (skipping .git) up to 1000 entries, sorted; search is
// `grep -rn` with an extended regular expression, up to 200 matches. Names travel NUL-separated
// and base64-encoded, so any byte a file name may hold survives the trip.
import type { ToolRequest } from '../../agents/index.js';
import type { FileToolContext, FileToolResult } from './file-tools-shell.js';
import {
  PathExit,
  failure,
  fromBase64,
  outputCap,
  pathOperand,
  regularFileChecks,
  runScript,
  scriptFailure,
  shown,
  utf8Prefix,
} from './file-tools-shell.js';
import { shellQuote } from './shell-quote.js';

const maxEntries = 1000;
const maxMatches = 200;
const maxMatchLine = 400;

const lineNumber = (value: number | undefined) =>
  value === undefined || (Number.isInteger(value) && value >= 1);

export async function readTool(request: ToolRequest, context: FileToolContext): Promise<FileToolResult> {
  const { path, startLine, endLine } = request;
  if (!path) return failure('the read tool needs a path');
  if (!lineNumber(startLine) || !lineNumber(endLine) || (endLine ?? Infinity) < (startLine ?? 1)) {
    return failure(
      `startLine and endLine must be line numbers from 1, start before end (got ${startLine}–${endLine})`,
    );
  }
  const ranged = startLine !== undefined || endLine !== undefined;
  const range = shellQuote(`${startLine ?? 1},${endLine ?? '$'}p`);
  const result = await runScript(context, [
    ...regularFileChecks(path),
    `size=$(wc -c < "$f") || exit ${PathExit.failed}`,
    ranged ? `lines=$(awk 'END { print NR }' < "$f") || exit ${PathExit.failed}` : 'lines=-',
    `printf '%s %s\\n' "$size" "$lines"`,
    `${ranged ? `sed -n ${range}` : 'cat'} < "$f" | head -c ${outputCap + 1} | base64 -w0`,
  ]);
  if (result.exitCode !== 0 || result.timedOut || result.aborted)
    return scriptFailure(result, path, 'reading');
  const newline = result.stdout.indexOf('\n');
  const [size = '0', lines = '-'] = result.stdout.slice(0, newline).split(' ');
  const bytes = fromBase64(result.stdout.slice(newline + 1));
  if (bytes.includes(0))
    return { status: 'ok', output: `${shown(path)} is a binary file (${size} bytes); not shown` };
  const kept = utf8Prefix(bytes, outputCap);
  let output = kept.toString('utf8');
  if (kept.length < bytes.length) {
    const more = ranged ? 'read a smaller line range' : 'read a line range for the rest';
    output += `\n… (cut at ${outputCap} bytes; the file has ${size} bytes: ${more})`;
  } else if (ranged && bytes.length === 0) {
    output = `(no lines there: ${shown(path)} has ${lines} lines)`;
  }
  return { status: 'ok', output };
}

/** NUL-separated records, decoded; a trailing empty record is dropped. */
function records(bytes: Buffer): string[] {
  const out = bytes.toString('utf8').split('\0');
  if (out.at(-1) === '') out.pop();
  return out;
}

export async function listTool(request: ToolRequest, context: FileToolContext): Promise<FileToolResult> {
  const path = request.path || '.';
  const result = await runScript(context, [
    `d=${pathOperand(path)}`,
    `if [ ! -e "$d" ]; then exit ${PathExit.missing}; fi`,
    `if [ ! -d "$d" ]; then exit ${PathExit.notFile}; fi`,
    `find -H "$d" -mindepth 1 -name .git -prune -o -printf '%y %P\\0' | LC_ALL=C sort -z -t ' ' -k 2 | head -z -n ${maxEntries + 1} | base64 -w0`,
  ]);
  if (result.exitCode === PathExit.notFile)
    return failure(`${shown(path)} is not a directory`, result.exitCode);
  if (result.exitCode !== 0 || result.timedOut || result.aborted)
    return scriptFailure(result, path, 'listing');
  const entries = records(fromBase64(result.stdout));
  const lines = entries.slice(0, maxEntries).map((entry) => {
    const name = shown(entry.slice(2));
    return entry[0] === 'd' ? `${name}/` : entry[0] === 'l' ? `${name}@` : name;
  });
  if (entries.length > maxEntries) lines.push(`… (more than ${maxEntries} entries; list a subdirectory)`);
  if (lines.length === 0) lines.push(`(${shown(path)} is empty)`);
  const warning = result.stderr.trim();
  if (warning) lines.push(`(some entries could not be read: ${warning})`);
  return { status: 'ok', output: lines.join('\n') };
}

export async function searchTool(request: ToolRequest, context: FileToolContext): Promise<FileToolResult> {
  const { pattern } = request;
  const path = request.path || '.';
  if (!pattern) return failure('the search tool needs a pattern');
  const byteCap = 4 * outputCap;
  const result = await runScript(context, [
    `d=${pathOperand(path)}`,
    `if [ ! -e "$d" ]; then exit ${PathExit.missing}; fi`,
    `grep -rHnIZE --exclude-dir=.git --exclude=.git --color=never -e ${shellQuote(pattern)} -- "$d" | head -c ${byteCap + 1} | base64 -w0`,
  ]);
  if (result.exitCode !== 0 || result.timedOut || result.aborted)
    return scriptFailure(result, path, 'searching');
  const bytes = fromBase64(result.stdout);
  const matches: string[] = [];
  // Each match is `name NUL number:text LF`; a name may hold a newline, the text may not.
  let at = 0;
  while (at < bytes.length && matches.length <= maxMatches) {
    const nul = bytes.indexOf(0, at);
    const end = nul < 0 ? -1 : bytes.indexOf(10, nul);
    if (nul < 0 || end < 0) break;
    const name = bytes.subarray(at, nul).toString('utf8').replace(/^\.\//, '');
    let text = bytes.subarray(nul + 1, end).toString('utf8');
    if (text.length > maxMatchLine) text = `${text.slice(0, maxMatchLine)}…`;
    matches.push(`${shown(name)}:${text}`);
    at = end + 1;
  }
  const warning = result.stderr.trim();
  if (matches.length === 0) {
    if (warning) return failure(`searching ${shown(path)} failed: ${warning}`, 2);
    return { status: 'ok', output: `no matches for ${pattern} in ${shown(path)}` };
  }
  const lines = matches.slice(0, maxMatches);
  if (matches.length > maxMatches || bytes.length > byteCap) {
    lines.push(`… (more matches not shown; narrow the pattern or the path)`);
  }
  if (warning) lines.push(`(${warning})`);
  return { status: 'ok', output: lines.join('\n') };
}
