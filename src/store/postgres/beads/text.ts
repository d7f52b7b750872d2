// Strings on their way to and from PostgreSQL. A TEXT value cannot hold U+0000, yet bead text may
// (a comment bd exported with `\u0000` in it), so every string parameter is escaped and every string
// read back unescaped: U+0001 becomes U+0001 U+0001 and U+0000 becomes U+0001 U+0002. Strings with
// neither character — every id, status and label in practice — pass unchanged, so comparisons and
// ordering in SQL still work on them. Also: `:name` parameters for the few statements that repeat one.
import type { SqlRunner, SqlValue } from '../../sql.js';

const nul = String.fromCharCode(0);
const esc = String.fromCharCode(1);
const escNul = String.fromCharCode(2);

export function encodeText(value: string): string {
  if (!value.includes(nul) && !value.includes(esc)) return value;
  return value
    .split(esc)
    .join(esc + esc)
    .split(nul)
    .join(esc + escNul);
}

export function decodeText(value: string): string {
  if (!value.includes(esc)) return value;
  let out = '';
  for (let n = 0; n < value.length; n++) {
    const ch = value[n]!;
    if (ch !== esc) {
      out += ch;
      continue;
    }
    out += value[++n] === escNul ? nul : esc;
  }
  return out;
}

/** Unescapes every string in a value read back: columns, arrays and parsed JSON alike. */
export function decodeDeep<T>(value: T): T {
  if (typeof value === 'string') return decodeText(value) as T;
  if (Array.isArray(value)) {
    for (let n = 0; n < value.length; n++) value[n] = decodeDeep(value[n] as unknown);
    return value;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = decodeDeep(record[key]);
  }
  return value;
}

function encodeParams(params: readonly SqlValue[] | undefined): readonly SqlValue[] | undefined {
  return params?.map((p) => (typeof p === 'string' ? encodeText(p) : p));
}

const unwrapped = new WeakMap<SqlRunner, SqlRunner>();

/** The runner under a `textSafe` one: what other repositories (the ledger) write through. */
export function rawRunner(runner: SqlRunner): SqlRunner {
  return unwrapped.get(runner) ?? runner;
}

/** A runner that escapes string parameters and unescapes string results. */
export function textSafe(runner: SqlRunner): SqlRunner {
  const safe: SqlRunner = {
    dialect: runner.dialect,
    all: async <R>(sql: string, params?: readonly SqlValue[]) =>
      decodeDeep(await runner.all<R>(sql, encodeParams(params))),
    get: async <R>(sql: string, params?: readonly SqlValue[]) =>
      decodeDeep(await runner.get<R>(sql, encodeParams(params))),
    run: (sql: string, params?: readonly SqlValue[]) => runner.run(sql, encodeParams(params)),
    exec: (sql: string) => runner.exec(sql),
  };
  unwrapped.set(safe, runner);
  return safe;
}

/** `:name` placeholders to `?` with their values in order (a name may repeat; `::type` casts stay). */
export function named(sql: string, values: Record<string, SqlValue>): [string, SqlValue[]] {
  const params: SqlValue[] = [];
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name}`);
    params.push(values[name]!);
    return '?';
  });
  return [text, params];
}
