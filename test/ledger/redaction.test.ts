// Redaction before the ledger: secrets by shape, by name and by environment value become
// `[REDACTED:<kind>]`; look-alikes stay; structured payloads are copied, never mutated.
import { describe, expect, it } from 'vitest';
import { createRedactor, redactionKinds } from '../../src/ledger/redact.js';
import { fake, fakes, generator, lookAlikes, secretCases, secretContexts } from './redaction-corpus.js';

const redactor = createRedactor();
const PLACEHOLDER = /\[REDACTED:([a-z_]+)\]/g;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('redaction corpus', () => {
  it('holds at least 20 secrets and 20 look-alikes', () => {
    expect(secretCases.length).toBeGreaterThanOrEqual(20);
    expect(lookAlikes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(secretCases)('redacts: $name', ({ input, expected, secrets }) => {
    const out = redactor.redactText(input);
    expect(out).toBe(expected);
    for (const secret of secrets) expect(out).not.toContain(secret);
  });

  it.each(lookAlikes)('leaves alone: $name', ({ input }) => {
    expect(redactor.redactText(input)).toBe(input);
  });

  it('shows every kind that redactionKinds() names, and no other', () => {
    const seen = new Set<string>();
    for (const { expected } of secretCases) for (const m of expected.matchAll(PLACEHOLDER)) seen.add(m[1]!);
    expect([...seen].sort()).toEqual([...redactionKinds()].sort());
  });

  it('leaves no fake secret and is idempotent on seeded combinations of secrets and contexts', () => {
    const next = generator(2024);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const secrets = Object.entries(fakes)
      .filter(([name]) => !/public|certificate/i.test(name))
      .map(([, value]) => value);
    const before = secretContexts;
    const after = before.filter((text) => !/^[A-Za-z0-9%]/.test(text));
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = 1 + Math.floor(next() * 4); j > 0; j--) text += pick(before) + pick(secrets) + pick(after);
      const once = redactor.redactText(text);
      expect(once, text).not.toMatch(/FAKE/);
      expect(redactor.redactText(once), text).toBe(once);
    }
  });

  it('is idempotent on every corpus string', () => {
    for (const { input } of [...secretCases, ...lookAlikes]) {
      const once = redactor.redactText(input);
      expect(redactor.redactText(once)).toBe(once);
    }
  });
});

describe('redactText in context', () => {
  it('redacts several secrets of different kinds in one string', () => {
    const text = `A=${fakes.ghp} B ${fakes.awsAccess} C Bearer ${fakes.jwt} DB_PASSWORD='p w' ${fakes.anthropic}`;
    expect(redactor.redactText(text)).toBe(
      'A=[REDACTED:github_token] B [REDACTED:aws_access_key] C Bearer [REDACTED:bearer_token] ' +
        "DB_PASSWORD='[REDACTED:env]' [REDACTED:anthropic_key]",
    );
  });

  it('keeps JSON valid when secrets sit inside JSON strings', () => {
    const json = JSON.stringify({
      cmd: `curl -H "Authorization: Bearer ${fakes.jwt}" -d '{"api_key":"zz-9"}' https://api.example.com`,
      env: `OPENAI_API_KEY=${fakes.openaiLegacy}\nHOME=/home/u`,
      nested: JSON.stringify({ password: 'hunter2', user: 'ann' }),
    });
    const out = redactor.redactText(json);
    const parsed = JSON.parse(out) as Record<string, string>;
    expect(parsed.cmd).toBe(
      `curl -H "Authorization: Bearer [REDACTED:bearer_token]" -d '{"api_key":"[REDACTED:env]"}' https://api.example.com`,
    );
    expect(parsed.env).toBe('OPENAI_API_KEY=[REDACTED:openai_key]\nHOME=/home/u');
    expect(JSON.parse(parsed.nested!)).toEqual({ password: '[REDACTED:env]', user: 'ann' });
    for (const secret of [fakes.jwt, fakes.openaiLegacy, 'hunter2', 'zz-9'])
      expect(out).not.toContain(secret);
  });

  it('finds secrets after escaped newlines in JSON text', () => {
    const json = JSON.stringify({
      env: `HOME=/home/u\nGITHUB_TOKEN=ghx-123\n${fakes.ghu}\n`,
      http: 'GET / HTTP/1.1\nAuthorization: Basic dXNlcjpw\n',
      yaml: 'deploy:\n  api_token: tok123\n  region: eu\n',
      ini: '[auth]\npassword = hunter2\n',
    });
    expect(JSON.parse(redactor.redactText(json))).toEqual({
      env: 'HOME=/home/u\nGITHUB_TOKEN=[REDACTED:env]\n[REDACTED:github_token]\n',
      http: 'GET / HTTP/1.1\nAuthorization: Basic [REDACTED:authorization]\n',
      yaml: 'deploy:\n  api_token: [REDACTED:env]\n  region: eu\n',
      ini: '[auth]\npassword = [REDACTED:env]\n',
    });
  });

  it('redacts shell command lines', () => {
    expect(redactor.redactText(`GITHUB_TOKEN=${fakes.ghp} gh pr create --title "x"`)).toBe(
      'GITHUB_TOKEN=[REDACTED:github_token] gh pr create --title "x"',
    );
    expect(redactor.redactText(`docker run -e API_TOKEN=tok-1234 --env=DB_PASSWORD=a=b img`)).toBe(
      'docker run -e API_TOKEN=[REDACTED:env] --env=DB_PASSWORD=[REDACTED:env] img',
    );
  });

  it('redacts a private key cut off before its END line', () => {
    const truncated = fakes.rsaKey.split('\n').slice(0, 4).join('\n');
    expect(redactor.redactText(`log: ${truncated}`)).toBe('log: [REDACTED:private_key]');
  });

  it('returns texts without markers untouched, including the empty string', () => {
    expect(redactor.redactText('')).toBe('');
    expect(redactor.redactText('plain words, numbers 123 and paths /a/b')).toBe(
      'plain words, numbers 123 and paths /a/b',
    );
  });

  it('stays linear on adversarial input', () => {
    // A backtracking blow-up would hang here until the suite times out.
    const inputs = [
      `sk-${'a'.repeat(200_000)}`,
      `-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(200_000)}`,
      'a='.repeat(100_000),
      'x:'.repeat(100_000),
      `KEY="${'\\'.repeat(100_001)}`,
      `Bearer ${'a.'.repeat(100_000)}`,
      `${'key'.repeat(50_000)}=1`,
    ];
    for (const input of inputs) expect(typeof redactor.redactText(input)).toBe('string');
    expect(redactor.redactText('a='.repeat(10) + 'SECRET=' + 'b='.repeat(10))).toBe(
      'a='.repeat(10) + 'SECRET=[REDACTED:env]',
    );
  });
});

describe('environment values', () => {
  const env = {
    MY_SERVICE_TOKEN: 's3cr3t-value-123',
    DB_PASSWORD: 'pa"ss\\word-99',
    SHORT_TOKEN: 'abc',
    HOME: '/home/someone-long',
    UNSET_KEY: undefined,
    SSH_KEY_PATH: '/home/u/.ssh/id_rsa',
  };
  const withEnv = createRedactor({ env });

  it('replaces the exact value of a secret-named variable anywhere', () => {
    expect(withEnv.redactText('connecting with s3cr3t-value-123 to host')).toBe(
      'connecting with [REDACTED:env] to host',
    );
    expect(withEnv.redactText('xs3cr3t-value-123y')).toBe('x[REDACTED:env]y');
    expect(withEnv.redactValue({ out: ['a s3cr3t-value-123'] })).toEqual({ out: ['a [REDACTED:env]'] });
  });

  it('also finds the JSON-escaped and URL-encoded spellings', () => {
    expect(withEnv.redactText(JSON.stringify({ v: env.DB_PASSWORD }))).toBe('{"v":"[REDACTED:env]"}');
    expect(withEnv.redactText(`?p=${encodeURIComponent(env.DB_PASSWORD)}`)).toBe('?p=[REDACTED:env]');
  });

  it('ignores short values, non-secret names and unset variables', () => {
    const text = 'abc at /home/someone-long and /home/u/.ssh/id_rsa';
    expect(withEnv.redactText(text)).toBe(text);
  });

  it('reads no environment unless it is injected', () => {
    expect(createRedactor().redactText('s3cr3t-value-123')).toBe('s3cr3t-value-123');
  });
});

describe('redactValue', () => {
  it('redacts string values under secret-named keys whole, at any depth', () => {
    const payload = {
      tool: 'http',
      input: {
        headers: { Authorization: 'Bearer x', 'x-api-key': 'k', Accept: 'application/json' },
        body: {
          api_key: 'plain words',
          password: 'correct horse',
          apiKey: fakes.openaiProject,
          keyId: 'k-1',
        },
      },
      list: [{ secret: 'in an array' }, 'free text OPENAI_API_KEY=abc123'],
    };
    expect(redactor.redactValue(payload)).toEqual({
      tool: 'http',
      input: {
        headers: {
          Authorization: '[REDACTED:env]',
          'x-api-key': '[REDACTED:env]',
          Accept: 'application/json',
        },
        body: {
          api_key: '[REDACTED:env]',
          password: '[REDACTED:env]',
          apiKey: '[REDACTED:openai_key]',
          keyId: 'k-1',
        },
      },
      list: [{ secret: '[REDACTED:env]' }, 'free text OPENAI_API_KEY=[REDACTED:env]'],
    });
  });

  it('names the bearer kind when an Authorization field holds a real-looking token', () => {
    expect(redactor.redactValue({ Authorization: `Bearer ${fakes.jwt}` })).toEqual({
      Authorization: '[REDACTED:bearer_token]',
    });
  });

  it('redacts every string beneath a secret-named key, and keeps non-strings and empties', () => {
    expect(
      redactor.redactValue({
        credentials: { token: { value: 'v', ttl: 60 } },
        password: '',
        max_tokens: 1000,
        token: 7,
      }),
    ).toEqual({
      credentials: { token: { value: '[REDACTED:env]', ttl: 60 } },
      password: '',
      max_tokens: 1000,
      token: 7,
    });
  });

  it('leaves non-secret names alone', () => {
    const payload = {
      monkey: 'banana',
      keyboard: 'us',
      tokenizer: 'bpe',
      keyframes: 'three',
      public_key: 'ssh-ed25519 AAAA',
      token_count: '42',
      input_tokens: 'many',
    };
    expect(redactor.redactValue(payload)).toEqual(payload);
  });

  it('redacts secrets in object keys too', () => {
    expect(redactor.redactValue({ [fakes.ghp]: 1 })).toEqual({ '[REDACTED:github_token]': 1 });
  });

  it('returns primitives and class instances as they are', () => {
    expect(redactor.redactValue(42)).toBe(42);
    expect(redactor.redactValue(null)).toBeNull();
    expect(redactor.redactValue(undefined)).toBeUndefined();
    expect(redactor.redactValue(true)).toBe(true);
    expect(redactor.redactValue(`x ${fakes.ghs}`)).toBe('x [REDACTED:github_token]');
    const date = new Date(0);
    expect(redactor.redactValue({ at: date }).at).toBe(date);
  });

  it('never mutates its input and returns a new value', () => {
    const input = deepFreeze({
      password: 'hunter2',
      nested: { items: [`Bearer ${fakes.jwt}`, { api_key: 'k' }] },
      plain: 'nothing here',
    });
    const before = structuredClone(input);
    const out = redactor.redactValue(input);
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect(out.nested).not.toBe(input.nested);
    expect(out.nested.items).not.toBe(input.nested.items);
    expect(out.password).toBe('[REDACTED:env]');
  });

  it('keeps a __proto__ key as an own property', () => {
    const input = JSON.parse('{"__proto__": {"password": "p"}, "a": 1}') as Record<string, unknown>;
    const out = redactor.redactValue(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"password":"[REDACTED:env]"},"a":1}');
  });

  it('is idempotent on structured payloads', () => {
    const payload = {
      api_key: fakes.anthropic,
      text: `${fakes.rsaKey}\nAWS_SECRET_ACCESS_KEY=${fake(40, 99)}`,
      list: [{ Authorization: 'Basic dXNlcjpw' }, `xoxb ${fakes.slackBot}`],
    };
    const once = redactor.redactValue(payload);
    expect(redactor.redactValue(once)).toEqual(once);
    expect(JSON.stringify(once)).not.toMatch(/FAKE/);
  });
});
