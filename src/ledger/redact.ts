// Redaction: before anything reaches the ledger, secrets become `[REDACTED:<kind>]`. Sources, in
// the order they apply: values of secret-named variables in the injected environment; secrets known
// by shape (API keys, tokens, private key blocks, URL passwords); `Authorization`/`Bearer`
// credentials; values of secret-named assignments in text (`API_KEY=…`); and, in structured
// payloads, values of secret-named fields (`{"password": …}`). Core code: the caller injects the
// environment; nothing here reads it.
import type { RedactionKind, TokenRule } from './redact-patterns.js';
import {
  ASSIGNMENT_MARKER,
  AUTH_HEADER_MARKER,
  BEARER_MARKER,
  PLACEHOLDER_START,
  PLACEHOLDER_WHOLE,
  REDACTION_KINDS,
  compileAssignment,
  compileAuthHeader,
  compileBareTail,
  compileBearer,
  compileTokenRules,
  isSecretName,
  looksLikeBearerToken,
  placeholder,
} from './redact-patterns.js';

export interface Redactor {
  /** The text with every secret found replaced by `[REDACTED:<kind>]`; redacting twice changes nothing. */
  redactText(text: string): string;
  /** A redacted copy: strings redacted, string values of secret-named keys replaced whole. */
  redactValue<T>(value: T): T;
}

/** Environment values shorter than this are common words, not secrets worth hunting. */
const MIN_ENV_VALUE_LENGTH = 8;
/** Values an assignment may hold that hide nothing: literals, and type names in code (`apiKey: string`). */
const NOT_SECRET_VALUES = new Set(
  'null true false none nil undefined string number boolean unknown any never object'.split(' '),
);
/** A value that refers to a secret instead of holding one: `$TOKEN`, `${{ secrets.X }}`, `$(cat key)`. */
const REFERENCE = /^\$[{(A-Za-z_]/;
/** A whole field value that is one secret of a known kind, possibly after `Bearer`. */
const ONE_SECRET = /^(?:bearer[ \t]+)?(\[REDACTED:[a-z_]{1,32}\])$/i;
/** Cheap pre-check: a text without any of these holds nothing the patterns below could find. */
const ANY_MARKER =
  /:\/\/|eyJ|sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|PRIVATE KEY|bearer|authorization|key|token|secret|passw/i;

export function redactionKinds(): readonly string[] {
  return REDACTION_KINDS;
}

export function createRedactor(options: { env?: Record<string, string | undefined> } = {}): Redactor {
  const envValues = secretEnvValues(options.env ?? {});
  const tokenRules = compileTokenRules();
  const authHeader = compileAuthHeader();
  const bearer = compileBearer();
  const assignments: AssignmentScan = {
    pattern: compileAssignment(),
    bareTail: compileBareTail(),
    // A line ends at a newline, at an escaped one (`\n` in JSON text), or where a string ends.
    // A comment (` #…`) runs to the end of the line, so it needs no scan.
    lineEnd: /[ \t]{1,64}#|[ \t]{0,64}(?:\r?\n|\\[rn]|\\?"|$)/y,
  };
  const envPlaceholder = placeholder('env');

  const redactText = (text: string): string => {
    let out = text;
    for (const value of envValues) if (out.includes(value)) out = out.split(value).join(envPlaceholder);
    if (!ANY_MARKER.test(out)) return out;
    for (const rule of tokenRules) if (rule.marker.test(out)) out = applyTokenRule(out, rule);
    if (AUTH_HEADER_MARKER.test(out)) out = replaceEach(out, authHeader, redactAuthHeader);
    if (BEARER_MARKER.test(out)) out = replaceEach(out, bearer, redactBearer);
    if (ASSIGNMENT_MARKER.test(out)) out = redactAssignments(out, assignments);
    return out;
  };

  /** The whole value goes; its kind is the specific one when the value is one known secret. */
  const redactWhole = (value: string): string => {
    if (value === '' || PLACEHOLDER_WHOLE.test(value)) return value;
    const inner = ONE_SECRET.exec(redactText(value.trim()));
    return inner?.[1] ?? envPlaceholder;
  };

  const walk = (value: unknown, secret: boolean, seen: WeakMap<object, unknown>): unknown => {
    if (typeof value === 'string') return secret ? redactWhole(value) : redactText(value);
    if (value === null || typeof value !== 'object' || !isPlain(value)) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(walk(item, secret, seen));
      return copy;
    }
    const entries: [string, unknown][] = [];
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) {
      entries.push([redactText(key), walk(item, secret || isSecretName(key, true), seen)]);
    }
    // defineProperty, not assignment: a `__proto__` key stays an own property.
    for (const [key, item] of entries) {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  };

  return {
    redactText,
    redactValue: <T>(value: T): T => walk(value, false, new WeakMap()) as T,
  };
}

/** Plain data (arrays, object literals, JSON) is copied; class instances (Date, Buffer) pass as they are. */
function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Values of secret-named variables, longest first (so a value containing another goes whole),
 * with their JSON-escaped and URL-encoded spellings.
 */
function secretEnvValues(env: Record<string, string | undefined>): string[] {
  const placeholders = REDACTION_KINDS.map(placeholder).join(' ');
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_ENV_VALUE_LENGTH || !isSecretName(name)) continue;
    if (placeholders.includes(value)) continue; // would break idempotence
    values.add(value);
    values.add(JSON.stringify(value).slice(1, -1));
    values.add(encodeURIComponent(value));
  }
  return [...values].filter((v) => v.length >= MIN_ENV_VALUE_LENGTH).sort((a, b) => b.length - a.length);
}

/** Runs a global regex over text, replacing each match with what `replace` returns. */
function replaceEach(text: string, regex: RegExp, replace: (match: RegExpExecArray) => string): string {
  regex.lastIndex = 0;
  let out = '';
  let from = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    out += text.slice(from, m.index) + replace(m);
    from = m.index + m[0].length;
    if (m[0] === '') regex.lastIndex += 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function applyTokenRule(text: string, rule: TokenRule): string {
  const replacement = placeholder(rule.kind);
  return replaceEach(text, rule.pattern, (m) =>
    !rule.accept || rule.accept(m[0]) ? (m.groups?.keep ?? '') + replacement : m[0],
  );
}

function redactAuthHeader(m: RegExpExecArray): string {
  const [whole, , scheme, credential = ''] = m;
  if (credential.startsWith(PLACEHOLDER_START)) return whole;
  const kind: RedactionKind = scheme?.toLowerCase() === 'bearer' ? 'bearer_token' : 'authorization';
  return whole.slice(0, whole.length - credential.length) + placeholder(kind);
}

function redactBearer(m: RegExpExecArray): string {
  const [whole, word = '', token = ''] = m;
  return looksLikeBearerToken(token) ? word + placeholder('bearer_token') : whole;
}

interface AssignmentScan {
  pattern: RegExp;
  bareTail: RegExp;
  lineEnd: RegExp;
}

/**
 * Secret-named assignments keep their name and lose their value. `NAME=value`, quoted values
 * and quoted names (JSON) always count. A bare value after `:` counts when it ends its line
 * (yaml), and after a spaced `=` when the line is only the assignment (ini, toml), so code
 * (`const token = next(lexer);`, `apiKey: string;`) and prose ("primary key: id, unique") stay.
 * When the name is not secret, scanning resumes at its value: `CMD="API_KEY=x ./run"`.
 */
function redactAssignments(text: string, scan: AssignmentScan): string {
  const { pattern, bareTail } = scan;
  pattern.lastIndex = 0;
  let out = '';
  let from = 0;
  // The span of the last bare-value tail; a skipped value is rescanned, its tail need not be.
  let tailFrom = -1;
  let tailTo = -1;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const g = m.groups ?? {};
    const valueStart = m.index + (g.head ?? '').length;
    const quoted = g.dq ?? g.sq ?? g.eq;
    const open = quoted === undefined ? (g.open === undefined ? 0 : 1) : g.eq === undefined ? 1 : 2;
    let end = m.index + m[0].length;
    if (quoted === undefined && end >= tailFrom && end <= tailTo) {
      end = tailTo; // inside the run the last tail scan covered: it ends at the same place
    } else if (quoted === undefined) {
      tailFrom = end;
      bareTail.lastIndex = end;
      end += bareTail.exec(text)?.[0].length ?? 0;
      tailTo = end;
    }
    const value = quoted ?? text.slice(valueStart + open, end);
    const candidate = {
      index: m.index,
      valueStart: valueStart + open,
      end,
      quoted: quoted !== undefined,
      value,
      groups: g,
    };
    if (!isSecretName(g.name ?? '') || !shouldRedact(text, candidate, scan.lineEnd)) {
      pattern.lastIndex = valueStart;
      continue;
    }
    // Keep the quotes around the value: `"…"`, `'…'`, `\"…\"`, or an unterminated `"…`.
    const close = quoted === undefined ? 0 : open;
    out += text.slice(from, valueStart + open) + placeholder('env') + text.slice(end - close, end);
    from = end;
    pattern.lastIndex = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

interface Candidate {
  /** Where the match (the name) starts, where the value starts after any quote, and where it ends. */
  index: number;
  valueStart: number;
  end: number;
  quoted: boolean;
  value: string;
  groups: Record<string, string | undefined>;
}

function shouldRedact(text: string, c: Candidate, lineEnd: RegExp): boolean {
  const { value, groups: g } = c;
  if (value === '' || value.startsWith(PLACEHOLDER_START)) return false;
  if (value.length <= 9 && NOT_SECRET_VALUES.has(value.toLowerCase())) return false;
  if (REFERENCE.test(text.slice(c.valueStart, c.valueStart + 2))) return false;
  const sep = g.sep ?? '';
  const op = sep.trim();
  if (c.quoted || (op === '=' && op === sep) || (op === ':' && (g.q ?? '') !== '')) return true;
  lineEnd.lastIndex = c.end;
  if (!lineEnd.test(text)) return false;
  if (op === ':') return true;
  return atLineStart(text, c.index);
}

/** Only blanks since the line began (a newline, an escaped `\n`, a string's quote); looks back 256 at most. */
function atLineStart(text: string, index: number): boolean {
  const from = Math.max(0, index - 256);
  const before = text.slice(from, index);
  const escaped = before.lastIndexOf('\\n');
  // The last character of the line break (or of an opening quote); -1 when none is in view.
  const lineBreak = Math.max(
    before.lastIndexOf('\n'),
    escaped < 0 ? -1 : escaped + 1,
    before.lastIndexOf('"'),
  );
  if (lineBreak < 0 && from > 0) return false;
  return before.slice(lineBreak + 1).trim() === '';
}
