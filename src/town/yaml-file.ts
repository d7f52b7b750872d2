// Reads and writes the town's YAML files through a zod schema, so a bad file is reported with its
// path and every problem in it, and callers only ever see validated values.
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';

export async function readYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GasTownError(ErrorCode.io, `cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
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
