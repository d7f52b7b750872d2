import { describe, expect, it } from 'vitest';
import { looksSecret, scrubEnv, stepEnv } from '../../src/sandbox/index.js';

describe('scrubEnv', () => {
  it('drops names that look secret, whatever their case', () => {
    const env = {
      OPENAI_API_KEY: 'a',
      github_token: 'b',
      AWS_SECRET_ACCESS_KEY: 'c',
      DB_PASSWORD: 'd',
      PGPASSWD: 'e',
      GOOGLE_APPLICATION_CREDENTIALS: 'f',
      Keyring: 'g',
      CI: 'true',
      GIT_AUTHOR_NAME: 'Ada',
    };
    expect(scrubEnv(env)).toEqual({ CI: 'true', GIT_AUTHOR_NAME: 'Ada' });
  });

  it('lets through exactly the names it is told to allow', () => {
    expect(scrubEnv({ NPM_TOKEN: 'n', GH_TOKEN: 'g' }, ['NPM_TOKEN'])).toEqual({ NPM_TOKEN: 'n' });
    expect(scrubEnv({ NPM_TOKEN: 'n' }, ['npm_token'])).toEqual({});
  });

  it('drops undefined values, values with NUL and names that are not identifiers', () => {
    expect(scrubEnv({ A: undefined, B: 'x\0y', 'C=D': 'z', '1E': 'w', F_1: 'ok' })).toEqual({ F_1: 'ok' });
  });

  it('knows a secret name when it sees one', () => {
    expect(looksSecret('SSH_PRIVATE_KEY')).toBe(true);
    expect(looksSecret('PATH')).toBe(false);
  });
});

describe('stepEnv', () => {
  it('starts from PATH, HOME, TMPDIR, LANG and TERM and lays the scrubbed caller variables on top', () => {
    expect(stepEnv({ TERM: 'xterm', STEP: '2', SECRET_SAUCE: 'x' })).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      TERM: 'xterm',
      STEP: '2',
    });
  });

  it('never reads our own environment', () => {
    process.env['GT_ENV_TEST_LEAK'] = 'ours';
    const env = stepEnv();
    delete process.env['GT_ENV_TEST_LEAK'];
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'PATH', 'TERM', 'TMPDIR']);
  });
});
