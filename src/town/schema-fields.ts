// Reads the town's zod schemas as data: every setting's dotted key, type, default and description.
// `docs/reference/config.md` is generated from this and `gt rig set` finds and parses a key with it,
// so the schema stays the only definition of what a settings file may say.
import { z } from 'zod';

/** One leaf setting of a schema, e.g. `github.repo` of rig.yaml. */
export interface SchemaField {
  /** Dotted path; a record's key appears as a `<placeholder>`. */
  key: string;
  /** The schema with its wrappers (optional, default, nullable) peeled off. */
  base: z.ZodType;
  type: string;
  /** The default as YAML would show it; undefined when the key has none. */
  defaultValue: unknown;
  optional: boolean;
  nullable: boolean;
  description: string | undefined;
  /** A group of settings (an object or a record) rather than one value. */
  group: boolean;
}

interface Peeled {
  base: z.ZodType;
  defaultValue: unknown;
  optional: boolean;
  nullable: boolean;
  description: string | undefined;
}

/** Strips optional / default / prefault / nullable wrappers, keeping what they said. */
export function peel(schema: z.ZodType): Peeled {
  const out: Peeled = {
    base: schema,
    defaultValue: undefined,
    optional: false,
    nullable: false,
    description: schema.description,
  };
  let current: z.ZodType = schema;
  for (;;) {
    out.description ??= current.description;
    if (current instanceof z.ZodOptional) out.optional = true;
    else if (current instanceof z.ZodNullable) out.nullable = true;
    else if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      if (out.defaultValue === undefined) out.defaultValue = current.def.defaultValue;
    } else break;
    current = current.unwrap() as z.ZodType;
  }
  out.base = current;
  return out;
}

/** Every setting under `schema`, groups before their members, in declaration order. */
export function schemaFields(schema: z.ZodType, prefix = ''): SchemaField[] {
  const peeled = peel(schema);
  const { base } = peeled;
  const self = (group: boolean): SchemaField[] =>
    prefix === '' ? [] : [{ key: prefix, ...peeled, type: typeOf(base), group }];
  if (base instanceof z.ZodObject) {
    return [
      ...self(true),
      ...Object.entries(base.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
        schemaFields(child, prefix === '' ? key : `${prefix}.${key}`),
      ),
    ];
  }
  if (base instanceof z.ZodRecord) {
    const placeholder = `<${recordKeyName(base)}>`;
    return [...self(true), ...schemaFields(base.def.valueType as z.ZodType, `${prefix}.${placeholder}`)];
  }
  return self(false);
}

/** The child schema at a dotted key (records accept any key), or undefined when there is none. */
export function schemaAt(schema: z.ZodType, key: string): z.ZodType | undefined {
  let current: z.ZodType = schema;
  for (const part of key.split('.')) {
    const base = peel(current).base;
    if (base instanceof z.ZodObject) {
      const shape = base.shape as Record<string, z.ZodType>;
      if (!Object.hasOwn(shape, part)) return undefined;
      current = shape[part] as z.ZodType;
    } else if (base instanceof z.ZodRecord) {
      current = base.def.valueType as z.ZodType;
    } else return undefined;
  }
  return current;
}

function recordKeyName(record: z.ZodRecord): string {
  const key = peel(record.def.keyType as z.ZodType).base;
  return key instanceof z.ZodEnum ? 'agent' : 'pattern';
}

/** `integer ≥ 0`, `one of local, push, pr`, `URL`, `list of string`… */
export function typeOf(base: z.ZodType): string {
  if (base instanceof z.ZodEnum) return `one of ${base.options.map((o) => `\`${String(o)}\``).join(', ')}`;
  if (base instanceof z.ZodBoolean) return 'boolean';
  if (base instanceof z.ZodArray) return `list of ${typeOf(peel(base.def.element as z.ZodType).base)}`;
  if (base instanceof z.ZodNumber) return `${numberKind(base)}${bounds(base)}`;
  if (base instanceof z.ZodURL) return 'URL';
  if (base instanceof z.ZodString) {
    return checksOf(base).some((c) => c.format === 'regex') ? 'string (pattern)' : 'string';
  }
  if (base instanceof z.ZodObject) return 'group';
  if (base instanceof z.ZodRecord) return 'map';
  return base.def.type;
}

interface CheckDef {
  check?: string;
  format?: string;
  value?: unknown;
  inclusive?: boolean;
}

function checksOf(schema: z.ZodType): CheckDef[] {
  const checks = (schema.def as { checks?: { _zod: { def: CheckDef } }[] }).checks ?? [];
  return checks.map((c) => c._zod.def);
}

function numberKind(base: z.ZodNumber): string {
  return checksOf(base).some((c) => c.format === 'safeint' || c.format === 'int32') ? 'integer' : 'number';
}

/** ` > 0`, ` ≥ 0`, ` 0–65535`. */
function bounds(base: z.ZodNumber): string {
  let low: CheckDef | undefined;
  let high: CheckDef | undefined;
  for (const c of checksOf(base)) {
    if (c.check === 'greater_than') low = c;
    if (c.check === 'less_than') high = c;
  }
  if (low?.inclusive && high?.inclusive) return ` ${String(low.value)}–${String(high.value)}`;
  const parts = [
    low ? `${low.inclusive ? '≥' : '>'} ${String(low.value)}` : '',
    high ? `${high.inclusive ? '≤' : '<'} ${String(high.value)}` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? ` ${parts.join(', ')}` : '';
}
