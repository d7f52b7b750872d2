// The redaction corpus: secrets with the text they must become, and look-alikes that must come
// out unchanged. Every secret is fake, built here from a seeded generator and split literals so
// that no real-looking credential sits in the source for a secret scanner to flag.

/** A seeded generator (mulberry32), so the corpus is the same on every run. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;

/** `length` fake characters from `alphabet`, starting with "FAKE" where the alphabet allows. */
export function fake(length: number, seed: number, alphabet = ALNUM): string {
  const next = generator(seed);
  let out = alphabet.includes('F') && alphabet.includes('K') ? 'FAKE' : 'fake';
  while (out.length < length) out += alphabet[Math.floor(next() * alphabet.length)] ?? '0';
  return out.slice(0, length);
}

const dash5 = '-'.repeat(5);
/** A PEM block with a fake base64 body; built from parts so the source holds no key header. */
export function pem(label: string, seed: number): string {
  const body = Array.from({ length: 6 }, (_, i) => fake(64, seed + i, ALNUM + '+/')).join('\n');
  return `${dash5}BEGIN ${label}${dash5}\n${body}\n${dash5}END ${label}${dash5}`;
}

const PRIVATE = ['PRIVATE', 'KEY'].join(' ');
export const fakes = {
  openaiLegacy: `sk-${fake(48, 1)}`,
  openaiProject: `sk-proj-${fake(40, 2)}_${fake(20, 3)}-${fake(30, 4)}`,
  anthropic: `sk-ant-api03-${fake(93, 5, ALNUM + '_-')}AA`,
  awsAccess: `AKIA${fake(16, 6, UPPER + '234567')}`,
  awsSession: `ASIA${fake(16, 7, UPPER + '234567')}`,
  ghp: `gh${'p'}_${fake(36, 8)}`,
  gho: `gh${'o'}_${fake(36, 9)}`,
  ghs: `gh${'s'}_${fake(36, 10)}`,
  ghu: `gh${'u'}_${fake(36, 11)}`,
  ghr: `gh${'r'}_${fake(36, 12)}`,
  githubPat: `github_${'pat'}_${fake(22, 13)}_${fake(59, 14)}`,
  slackBot: `xox${'b'}-${fake(12, 15, DIGITS)}-${fake(13, 16, DIGITS)}-${fake(24, 17)}`,
  slackUser: `xox${'p'}-${fake(12, 18, DIGITS)}-${fake(12, 19, DIGITS)}-${fake(32, 20, LOWER + DIGITS)}`,
  jwt: `eyJ${fake(30, 21)}.eyJ${fake(60, 22)}.${fake(43, 23, ALNUM + '_-')}`,
  rsaKey: pem(`RSA ${PRIVATE}`, 30),
  ecKey: pem(`EC ${PRIVATE}`, 40),
  opensshKey: pem(`OPENSSH ${PRIVATE}`, 50),
  encryptedKey: pem(`ENCRYPTED ${PRIVATE}`, 60),
  pkcs8Key: pem(PRIVATE, 70),
  publicKey: pem('PUBLIC KEY', 80),
  rsaPublicKey: pem('RSA PUBLIC KEY', 90),
  certificate: pem('CERTIFICATE', 100),
} as const;

export interface SecretCase {
  name: string;
  input: string;
  /** The exact redacted text. */
  expected: string;
  /** Substrings that must not survive. */
  secrets: string[];
}

export interface LookAlike {
  name: string;
  input: string;
}

const R = (kind: string): string => `[REDACTED:${kind}]`;
const f = fakes;

export const secretCases: SecretCase[] = [
  {
    name: 'OpenAI legacy key',
    input: `use ${f.openaiLegacy} now`,
    expected: `use ${R('openai_key')} now`,
    secrets: [f.openaiLegacy],
  },
  {
    name: 'OpenAI project key',
    input: `key=${f.openaiProject}`,
    expected: `key=${R('openai_key')}`,
    secrets: [f.openaiProject],
  },
  {
    name: 'Anthropic key',
    input: `(${f.anthropic})`,
    expected: `(${R('anthropic_key')})`,
    secrets: [f.anthropic],
  },
  {
    name: 'AWS access key id',
    input: `id ${f.awsAccess}.`,
    expected: `id ${R('aws_access_key')}.`,
    secrets: [f.awsAccess],
  },
  {
    name: 'AWS session key id',
    input: `"${f.awsSession}"`,
    expected: `"${R('aws_access_key')}"`,
    secrets: [f.awsSession],
  },
  {
    name: 'GitHub ghp token',
    input: `git clone https://${f.ghp}@github.com/o/r`,
    expected: `git clone https://${R('github_token')}@github.com/o/r`,
    secrets: [f.ghp],
  },
  {
    name: 'GitHub gho/ghs/ghu/ghr tokens',
    input: [f.gho, f.ghs, f.ghu, f.ghr].join(' '),
    expected: Array(4).fill(R('github_token')).join(' '),
    secrets: [f.gho, f.ghs, f.ghu, f.ghr],
  },
  {
    name: 'GitHub fine-grained PAT',
    input: `pat: ${f.githubPat}`,
    expected: `pat: ${R('github_pat')}`,
    secrets: [f.githubPat],
  },
  {
    name: 'Slack bot token',
    input: `SLACK=${f.slackBot}`,
    expected: `SLACK=${R('slack_token')}`,
    secrets: [f.slackBot],
  },
  {
    name: 'Slack user token',
    input: `token ${f.slackUser}`,
    expected: `token ${R('slack_token')}`,
    secrets: [f.slackUser],
  },
  {
    name: 'curl with an Authorization header',
    input: 'curl -H "Authorization: Bearer abc.def.ghi" https://x',
    expected: `curl -H "Authorization: Bearer ${R('bearer_token')}" https://x`,
    secrets: ['abc.def.ghi'],
  },
  {
    name: 'bare Bearer JWT',
    input: `sent Bearer ${f.jwt} upstream`,
    expected: `sent Bearer ${R('bearer_token')} upstream`,
    secrets: [f.jwt],
  },
  {
    name: 'JWT on its own',
    input: `{"data":"${f.jwt}"}`,
    expected: `{"data":"${R('bearer_token')}"}`,
    secrets: [f.jwt],
  },
  {
    name: 'lower-case authorization header',
    input: 'authorization: bearer 0123abcd',
    expected: `authorization: bearer ${R('bearer_token')}`,
    secrets: ['0123abcd'],
  },
  {
    name: 'Basic authorization',
    input: 'Authorization: Basic dXNlcjpwYXNzd29yZA==',
    expected: `Authorization: Basic ${R('authorization')}`,
    secrets: ['dXNlcjpwYXNzd29yZA=='],
  },
  {
    name: 'RSA private key block',
    input: `before\n${f.rsaKey}\nafter`,
    expected: `before\n${R('private_key')}\nafter`,
    secrets: [f.rsaKey.split('\n')[2]!],
  },
  {
    name: 'EC private key block',
    input: f.ecKey,
    expected: R('private_key'),
    secrets: [f.ecKey.split('\n')[1]!],
  },
  {
    name: 'OpenSSH private key block',
    input: `cat id_ed25519\n${f.opensshKey}\n`,
    expected: `cat id_ed25519\n${R('private_key')}\n`,
    secrets: [f.opensshKey.split('\n')[3]!],
  },
  {
    name: 'encrypted private key block',
    input: f.encryptedKey,
    expected: R('private_key'),
    secrets: [f.encryptedKey.split('\n')[4]!],
  },
  {
    name: 'PKCS#8 key inside a JSON string',
    input: JSON.stringify({ out: f.pkcs8Key }),
    expected: JSON.stringify({ out: R('private_key') }),
    secrets: [f.pkcs8Key.split('\n')[1]!],
  },
  {
    name: 'env assignment',
    input: 'OPENAI_API_KEY=abc123',
    expected: `OPENAI_API_KEY=${R('env')}`,
    secrets: ['abc123'],
  },
  {
    name: 'exported quoted password',
    input: 'export DB_PASSWORD="x y"',
    expected: `export DB_PASSWORD="${R('env')}"`,
    secrets: ['x y'],
  },
  {
    name: 'yaml token',
    input: 'env:\n  GITHUB_TOKEN: ghx\n',
    expected: `env:\n  GITHUB_TOKEN: ${R('env')}\n`,
    secrets: ['ghx'],
  },
  { name: 'SORT_KEY', input: 'SORT_KEY=x', expected: `SORT_KEY=${R('env')}`, secrets: ['=x'] },
  { name: 'camelCase apiKey', input: 'apiKey=x', expected: `apiKey=${R('env')}`, secrets: ['=x'] },
  {
    name: 'AWS secret access key variable',
    input: `AWS_SECRET_ACCESS_KEY=${fake(40, 24, ALNUM + '/+')}`,
    expected: `AWS_SECRET_ACCESS_KEY=${R('env')}`,
    secrets: [fake(40, 24, ALNUM + '/+')],
  },
  {
    name: 'lower-case db_password',
    input: 'db_password=x',
    expected: `db_password=${R('env')}`,
    secrets: ['=x'],
  },
  {
    name: 'PASSWD',
    input: 'MYSQL_PASSWD=s3cret!',
    expected: `MYSQL_PASSWD=${R('env')}`,
    secrets: ['s3cret!'],
  },
  {
    name: 'JSON text field',
    input: '{"password":"hunter2","user":"ann"}',
    expected: `{"password":"${R('env')}","user":"ann"}`,
    secrets: ['hunter2'],
  },
  {
    name: 'URL query token',
    input: 'GET /hook?token=abc123&page=2',
    expected: `GET /hook?token=${R('env')}&page=2`,
    secrets: ['abc123'],
  },
  {
    name: 'CLI flag',
    input: 'mysql --password=hunter22 -u root',
    expected: `mysql --password=${R('env')} -u root`,
    secrets: ['hunter22'],
  },
  {
    name: 'HTTP API key header',
    input: 'X-Api-Key: 9f8e7d6c',
    expected: `X-Api-Key: ${R('env')}`,
    secrets: ['9f8e7d6c'],
  },
  {
    name: 'npmrc auth token',
    input: '//registry.npmjs.org/:_authToken=npm_abcdef123456',
    expected: `//registry.npmjs.org/:_authToken=${R('env')}`,
    secrets: ['npm_abcdef123456'],
  },
  {
    name: 'yaml list item',
    input: '- password: hunter2',
    expected: `- password: ${R('env')}`,
    secrets: ['hunter2'],
  },
  {
    name: 'ini value at line start',
    input: '[pypi]\npassword = pypi-AgEI1234',
    expected: `[pypi]\npassword = ${R('env')}`,
    secrets: ['pypi-AgEI1234'],
  },
  {
    name: 'assignment inside a quoted command',
    input: 'sh -c "API_KEY=abc123 ./run.sh"',
    expected: `sh -c "API_KEY=${R('env')} ./run.sh"`,
    secrets: ['abc123'],
  },
  {
    name: 'password in a connection URL',
    input: 'DATABASE_URL=postgres://app:hunter2@db.internal:5432/app',
    expected: `DATABASE_URL=postgres://app:${R('url_password')}@db.internal:5432/app`,
    secrets: ['hunter2'],
  },
  {
    name: 'token in a git remote URL',
    input: `git push https://x-access-token:${f.ghs}@github.com/o/r.git`,
    expected: `git push https://x-access-token:${R('github_token')}@github.com/o/r.git`,
    secrets: [f.ghs],
  },
  {
    name: 'secret in a secret-named variable keeps the specific kind',
    input: `OPENAI_API_KEY=${f.openaiProject}`,
    expected: `OPENAI_API_KEY=${R('openai_key')}`,
    secrets: [f.openaiProject],
  },
];

export const lookAlikes: LookAlike[] = [
  { name: 'task-list', input: 'see the task-list for today' },
  { name: 'sk-1', input: 'item sk-1 and sk-12345' },
  { name: 'skeleton', input: 'a skeleton screen; sk-learn-tutorial-for-absolute-beginners' },
  { name: 'git SHA', input: 'commit 3f786850e387550fdab836ed7c6dc3ad5e8d8f5a (HEAD -> main)' },
  { name: 'UUID', input: 'session 9b2c1f0e-4a7d-4e2b-9c3f-7d1e2a3b4c5d started' },
  { name: 'AKIA then lower case', input: 'AKIAabcdefghijklmnop' },
  { name: 'AKIA too short', input: 'AKIA12345 and AKIAIOSFODNN7' },
  {
    name: 'bearer of bad news',
    input: 'I hate to be the bearer of bad news, but Bearer authentication is required.',
  },
  { name: 'token in prose', input: 'the token count was 42; each token costs money' },
  {
    name: 'base64 in a URL',
    input: 'https://example.com/view?q=aGVsbG8gd29ybGQgdGhpcyBpcyBvcmRpbmFyeSB0ZXh0&page=2',
  },
  { name: 'ghp_short', input: 'ghp_short and gho_x and github_pat_short' },
  { name: 'PEM public key', input: fakes.publicKey },
  { name: 'PEM RSA public key', input: fakes.rsaPublicKey },
  { name: 'PEM certificate', input: `chain:\n${fakes.certificate}\n` },
  { name: 'email addresses', input: 'mail token-team@example.org or sk-ops@example.com or keys@example.net' },
  { name: 'public key path', input: 'cat /home/u/.ssh/id_rsa.pub >> authorized_keys' },
  { name: 'monkey', input: 'monkey=banana' },
  { name: 'KEYBOARD_LAYOUT', input: 'KEYBOARD_LAYOUT=us' },
  { name: 'TOKENIZER', input: 'TOKENIZER=bpe' },
  { name: 'keyframes', input: 'keyframes=3' },
  { name: 'token counts', input: 'MAX_TOKENS=4096 TOKEN_COUNT=3\nmax_tokens: 1024' },
  { name: 'key path variable', input: 'SSH_KEY_PATH=/home/u/.ssh/id_rsa' },
  { name: 'public key variable', input: 'PUBLIC_KEY=ssh-ed25519-AAAAC3NzaC1lZDI1NTE5' },
  { name: 'variable reference', input: 'API_KEY=$OPENAI_API_KEY and token: ${{ secrets.GITHUB_TOKEN }}' },
  { name: 'placeholder value', input: 'API_KEY=<your key here>' },
  { name: 'prose with a colon', input: 'Primary key: id, unique' },
  { name: 'code assignment', input: 'const token = nextToken(lexer);' },
  { name: 'comparison', input: 'if (key == "Enter") return;' },
  { name: 'literal null', input: 'password: null' },
  { name: 'short slack prefix', input: 'xoxb-example' },
  { name: 'Authorization in prose', input: 'Authorization is decided by the policy engine.' },
  { name: 'PATH export', input: 'export PATH=/usr/local/bin:$PATH' },
  { name: 'JWT-like but not JSON', input: 'eyJhbGciOi.notjson.sig and abc.def.ghi' },
  {
    name: 'URLs without a password',
    input: 'ssh://git@github.com:22/o/r.git http://localhost:8080/p@v2 https://u@x.io',
  },
];

/** What may sit right before a secret: quotes, JSON escapes, URL encoding, assignments, headers, code. */
export const secretContexts: readonly string[] = [
  ...[
    ' ',
    '\n',
    '"',
    "'",
    '\\"',
    '=',
    ': ',
    '(',
    '`',
    '\\n',
    '\\t',
    '%20',
    '/',
    '@',
    ':',
    '[',
    '<',
    '|',
    '#',
    '{',
    ',',
  ],
  ...['API_KEY=', 'password: ', 'Bearer ', 'Authorization: ', 'token=', 'export SECRET="'],
];
