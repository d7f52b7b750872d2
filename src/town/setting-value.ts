// Turns the text of `gt rig set <rig> <key> <value>` into the value the key's schema expects:
// a number for a number, true/false for a boolean, the text itself for a string or a choice.
// The result is still validated by the whole file's schema afterwards; this only picks the type.
import { parse } from 'yaml';
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { peel, schemaFields } from './schema-fields.js';

const booleans: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

/** `value` as the type of the setting `key` in `schema`; errors name the key. */
export function parseSettingValue(schema: z.ZodType, file: string, key: string, text: string): unknown {
  const field = peel(schema);
  const base = field.base;
  if (base instanceof z.ZodObject || base instanceof z.ZodRecord) {
    const members = schemaFields(schema, key)
      .filter((f) => !f.group)
      .map((f) => f.key);
    throw invalidInput(
      `${file}: ${key} is a group of settings; set one of its keys (${members.join(', ')})`,
      { key },
    );
  }
  if (base instanceof z.ZodNumber) {
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value))
      throw invalidInput(`${file}: ${key} must be a number, not "${text}"`, { key });
    return value;
  }
  if (base instanceof z.ZodBoolean) {
    const value = booleans[text.trim().toLowerCase()];
    if (value === undefined)
      throw invalidInput(`${file}: ${key} must be true or false, not "${text}"`, { key });
    return value;
  }
  if (base instanceof z.ZodString || base instanceof z.ZodEnum) return text;
  // Lists and anything richer: YAML flow syntax, e.g. `[--verbose, --color]`.
  try {
    return parse(text) as unknown;
  } catch (error) {
    throw invalidInput(`${file}: ${key}: "${text}" is not valid YAML (${String(error)})`, { key });
  }
}
