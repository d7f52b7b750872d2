// Canonical JSON as RFC 8785 (JCS) defines it for the values we store: object keys sorted by
// UTF-16 code units, no whitespace, numbers and strings serialised as ECMAScript does. Two
// programs that agree on the value agree on the bytes, so the hash chain can be re-verified anywhere.
// Written as plain loops: every ledger append runs it, so it is on the hot path.

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += canonicalJson(items[i] ?? null);
  }
  return out + ']';
}

function canonicalObject(record: Record<string, unknown>): string {
  // Default sort compares UTF-16 code units, which is what RFC 8785 asks for.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return out + '}';
}
