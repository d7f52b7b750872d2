// Reads and writes the town's YAML files through a zod schema, so a bad file is reported with its
// path and every problem in it, and callers only ever see validated values.
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';

// The daemon reads town.yaml and rig.yaml on every tick; parsing and validating them dominated its
// thread. The file is still read each time (cheap) and the parse is reused only when its text is
// identical, so an edit takes effect at once and a bad file still fails with its own message.
// Hits are cloned: callers may change what they get (e.g. before writing it back).
const parsed = new WeakMap<z.ZodType, Map<string, { text: string; value: unknown }>>();

export async function readYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GasTownError(ErrorCode.io, `cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
  let byFile = parsed.get(schema);
  if (!byFile) {
    byFile = new Map<string, { text: string; value: unknown }>();
    parsed.set(schema, byFile);
  }
  const hit = byFile.get(file);
  if (hit && hit.text === text) return structuredClone(hit.value) as z.output<S>;
  const value = parseYamlText(text, file, schema);
  byFile.set(file, { text, value: structuredClone(value) });
  return value;
}

function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new GasTownError(ErrorCode.invalidInput, `${file} is not valid YAML: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return parseWith(schema, data ?? {}, file);
}

/** Validates `data`; `source` names where it came from in the error message. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, source: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new GasTownError(ErrorCode.invalidInput, `invalid ${source}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Writes `value` as YAML under a comment header; `exclusive` refuses to replace an existing file. */
export async function writeYamlFile(
  file: string,
  header: string,
  value: unknown,
  exclusive = false,
): Promise<void> {
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  await writeFile(file, `${comment}\n${stringify(value)}`, { flag: exclusive ? 'wx' : 'w' });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
