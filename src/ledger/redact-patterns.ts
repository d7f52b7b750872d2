// What the redactor looks for: the kinds of secret it names, the token and key-block patterns,
// and the rule that decides whether a variable or field name (`OPENAI_API_KEY`, `apiKey`,
// `db_password`) holds a secret. Pure data and small functions; redact.ts applies them.

export const REDACTION_KINDS = Object.freeze([
  'openai_key',
  'anthropic_key',
  'aws_access_key',
  'github_token',
  'github_pat',
  'slack_token',
  'bearer_token',
  'authorization',
  'private_key',
  'url_password',
  'env',
] as const);
export type RedactionKind = (typeof REDACTION_KINDS)[number];

export function placeholder(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

/** A string that is exactly one placeholder, as a whole value. */
export const PLACEHOLDER_WHOLE = /^\[REDACTED:[a-z_]{1,32}\]$/;
/** Where an already-redacted value starts. */
export const PLACEHOLDER_START = '[REDACTED:';

/** A secret recognised by its own shape, wherever it appears. */
export interface TokenRule {
  kind: RedactionKind;
  /** Cheap test run before the (global) pattern. */
  marker: RegExp;
  /** Global. A named group `keep` at its start survives; the rest of the match goes. */
  pattern: RegExp;
  /** Extra check on the matched text, for prefixes that ordinary words can share. */
  accept?: (match: string) => boolean;
}

/** Random-looking: holds a digit, or both cases. Kebab-case slugs and words do not. */
export function looksRandom(text: string): boolean {
  return /\d/.test(text) || (/[a-z]/.test(text) && /[A-Z]/.test(text));
}

/**
 * Where a token may start: at the beginning, after a character that cannot be part of it, or
 * after an escape (`\n` in JSON text, `%20` in a URL), so `"…\nghp_…"` is found.
 */
const START = String.raw`(?<=^|[^A-Za-z0-9]|\\[nrt]|%[0-9A-Fa-f]{2})`;

// Quantifiers are bounded and each pattern is anchored on a literal prefix, so a scan is linear.
const PEM_LABEL = String.raw`(?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----`;

export function compileTokenRules(): TokenRule[] {
  return [
    {
      kind: 'private_key',
      marker: /PRIVATE KEY/,
      // Through the END line; a block cut off before its END loses the rest of its body.
      pattern: new RegExp(
        String.raw`-----BEGIN ${PEM_LABEL}(?:[\s\S]{0,65536}?-----END ${PEM_LABEL}|[A-Za-z0-9+/=\s:,\\-]{0,65536})`,
        'g',
      ),
    },
    {
      kind: 'anthropic_key',
      marker: /sk-ant-/,
      pattern: new RegExp(String.raw`${START}sk-ant-[A-Za-z0-9_-]{20,1024}`, 'g'),
    },
    {
      kind: 'openai_key',
      marker: /sk-/,
      pattern: new RegExp(String.raw`${START}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,1024}`, 'g'),
      accept: (match) => /^sk-(?:proj|svcacct|admin)-/.test(match) || looksRandom(match.slice(3)),
    },
    {
      kind: 'aws_access_key',
      marker: /AKIA|ASIA/,
      pattern: new RegExp(String.raw`${START}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, 'g'),
    },
    {
      kind: 'github_pat',
      marker: /github_pat_/,
      pattern: new RegExp(String.raw`${START}github_pat_[A-Za-z0-9_]{22,255}`, 'g'),
    },
    {
      kind: 'github_token',
      marker: /gh[pousr]_/,
      pattern: new RegExp(String.raw`${START}gh[pousr]_[A-Za-z0-9]{36,255}`, 'g'),
    },
    {
      // A JWT is a bearer credential wherever it appears: header and payload are base64 JSON.
      kind: 'bearer_token',
      marker: /eyJ/,
      pattern: new RegExp(
        String.raw`${START}eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{0,4096}`,
        'g',
      ),
    },
    {
      kind: 'url_password',
      marker: /:\/\//,
      // `scheme://user:password@host`: the user stays, the password goes.
      pattern:
        /(?<![A-Za-z0-9+.-])(?<keep>[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s:/@"'<>]{1,256}:)[^\s/@"'<>]{1,256}(?=@)/g,
      accept: (match) => !match.includes(PLACEHOLDER_START),
    },
    {
      kind: 'slack_token',
      marker: /xox[abprs]-/,
      pattern: new RegExp(String.raw`${START}xox[abprs]-[A-Za-z0-9-]{10,255}`, 'g'),
      accept: (match) => /\d/.test(match),
    },
  ];
}

/** `Authorization: <scheme> <credential>` in headers, curl lines and JSON text. */
export const AUTH_HEADER_MARKER = /authorization/i;
export const compileAuthHeader = (): RegExp =>
  /(?<=^|[^A-Za-z0-9_\-\\]|\\[nrt])((?:proxy-)?authorization\\?["']?[ \t]{0,8}[:=][ \t]{0,8}\\?["']?)(?:(bearer|basic|token|digest|negotiate|ntlm|apikey)[ \t]{1,8})?([^\s"'`,;\\]{1,4096})/gi;

/** A bare `Bearer <token>` outside a header line. */
export const BEARER_MARKER = /bearer/i;
export const compileBearer = (): RegExp =>
  /(?<=^|[^A-Za-z0-9_\-\\]|\\[nrt])(bearer[ \t]{1,8})([A-Za-z0-9._~+/-]{8,4096}=*)/gi;

/** A bearer credential must look like one, so prose ("Bearer authentication") stays. */
export function looksLikeBearerToken(token: string): boolean {
  return (
    /\d/.test(token) || /^[^.]+\.[^.]+\.[^.]+$/.test(token) || (token.length >= 16 && looksRandom(token))
  );
}

// A bare value stops at these. The assignment pattern also stops it at `=` and `:`, so a run
// like `a=b=c=…` costs one short match per name, not a rescan of the run for each.
const BARE_STOP = String.raw`\s"'${'`'},;&|<>(){}[\]\\`;
export const ASSIGNMENT_MARKER = /key|token|secret|passw|passphrase/i;
/**
 * `NAME=value`, `export NAME="v"`, `NAME: value`, `"name": "v"`, `--name=value`. Groups: the
 * name (with optional quotes and dashes), the separator, then one of: double-quoted,
 * single-quoted, backslash-quoted (JSON inside a JSON string), bare, or an unterminated quote.
 */
export const compileAssignment = (): RegExp =>
  new RegExp(
    String.raw`(?<=^|[^A-Za-z0-9_.\-\\]|\\[nrt]|%[0-9A-Fa-f]{2})(?<head>-{0,2}(?<q>(?:\\?["'])?)(?<name>[A-Za-z_][A-Za-z0-9_.\-]{0,127})\k<q>` +
      String.raw`(?<sep>[ \t]{0,8}(?::=|=|:)[ \t]{0,8}))` +
      String.raw`(?:"(?<dq>(?:[^"\\\n]|\\.){0,4096})"|'(?<sq>[^'\n]{0,4096})'|\\"(?<eq>(?:[^"\\\n]|\\[^"\n]){0,4096})\\"` +
      String.raw`|(?<bare>[^${BARE_STOP}=:]{1,4096})|["'](?<open>[^\s"']{1,4096}))`,
    'g',
  );
/** The rest of a bare value once its name is known to be secret (`=` and `:` included). */
export const compileBareTail = (): RegExp => new RegExp(String.raw`[^${BARE_STOP}]{0,4096}`, 'y');

// ---- names ----------------------------------------------------------------------------------

const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean));
const SECRET_SEGMENTS = words(`key token secret password passwd passphrase
  apikey accesskey secretkey privatekey authtoken accesstoken refreshtoken`);
/** A name with one of these segments describes something public. */
const PUBLIC_SEGMENTS = words('public pub');
/** A last segment that makes the name about a secret, not the secret (`TOKEN_COUNT`, `keyId`). */
const DESCRIPTIVE_SUFFIXES = words(`count counts limit limits length len size max min type kind name names
  id ids path paths file files dir url uri endpoint header env var field expiry expires expiration ttl
  usage budget index fingerprint format algorithm alg`);
/** Field names whose string value is a credential (structured payloads only). */
const AUTH_FIELDS = new Set(['authorization', 'proxy-authorization', 'proxy_authorization']);

/** Splits on `_`, `-`, `.`, spaces, digits and camelCase: `dbPassword2` → db, password, 2. */
export function nameSegments(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((s) => s.toLowerCase());
}

/** Whether a variable or field of this name holds a secret. `field` adds header-like fields. */
export function isSecretName(name: string, field = false): boolean {
  if (field && AUTH_FIELDS.has(name.toLowerCase())) return true;
  const segments = nameSegments(name);
  const last = segments.at(-1);
  if (last === undefined || !segments.some((s) => SECRET_SEGMENTS.has(s))) return false;
  if (segments.some((s) => PUBLIC_SEGMENTS.has(s))) return false;
  return SECRET_SEGMENTS.has(last) || !DESCRIPTIVE_SUFFIXES.has(last);
}
