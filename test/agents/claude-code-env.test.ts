// Claude Code's environment is an allowlist: whatever the caller's environment holds (other
// providers' keys, npm and cloud settings, a parent Claude session's marks), Claude gets only its
// PATH, HOME, locale, the town's GT_* coordinates, its hook, its CLAUDE_* settings and model
// choices, and the one key it is given — in the sandbox the gate's placeholder. Providers the gate
// cannot stand in for are refused with a message that says what to do.
import { describe, expect, it } from 'vitest';
import { claudeEnv } from '../../src/agents/claude-code/claude-env.js';
import { gateAccess, gatedModelOf, hostAccess } from '../../src/agents/claude-code/model-endpoint.js';

const callerEnv = {
  PATH: '/home/me/bin:/usr/bin',
  HOME: '/home/me',
  LANG: 'en_US.UTF-8',
  MY_TEST_KEY: 'sk-ant-real-key-0123456789',
  ANTHROPIC_API_KEY: 'sk-ant-other-key-9876543210',
  OPENAI_API_KEY: 'sk-openai-0123456789',
  NPM_CONFIG_USERCONFIG: '/home/me/.npmrc',
  AWS_PROFILE: 'prod',
  GITHUB_TOKEN: 'ghp_0123456789abcdef',
  CLAUDECODE: '1',
  CLAUDE_CODE_ENTRYPOINT: 'cli',
  CLAUDE_CODE_OAUTH_TOKEN: 'oauth-token-value',
  CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096',
  ANTHROPIC_MODEL: 'claude-sonnet-4-5',
  ANTHROPIC_CUSTOM_HEADERS: 'x-secret: 1',
  GT_TOWN: '/srv/town',
  GT_BEAD: 'gt-1',
  GT_ACTOR: 'web/polecats/nux',
};
const hook = { url: 'http://127.0.0.1:8377/__gastown', token: 'hook-token', waitMs: 1000 };

describe("Claude Code's environment", () => {
  it('in the sandbox: the allowlist only, the gate as endpoint and the placeholder as key', () => {
    const model = gatedModelOf(callerEnv, { apiKeyEnv: 'MY_TEST_KEY', baseUrl: 'http://127.0.0.1:9999' });
    expect(model.endpoint).toEqual({
      baseUrl: 'http://127.0.0.1:9999',
      credential: { header: 'x-api-key', value: 'sk-ant-real-key-0123456789' },
    });
    const { env } = claudeEnv({
      base: callerEnv,
      path: '/shims:/usr/bin',
      stateDir: '/srv/town/.gt/agents/claude/gt-1',
      hook,
      model: gateAccess(model, 'sk-ant-gastown-placeholder'),
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        'PATH',
        'LANG',
        'TERM',
        'TMPDIR',
        'GT_TOWN',
        'GT_BEAD',
        'GT_ACTOR',
        'CLAUDE_CODE_MAX_OUTPUT_TOKENS',
        'ANTHROPIC_MODEL',
        'ANTHROPIC_BASE_URL',
        'ANTHROPIC_API_KEY',
        'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
        'DISABLE_AUTOUPDATER',
        'CLAUDE_CONFIG_DIR',
        'HOME',
        'GT_HOOK_URL',
        'GT_HOOK_TOKEN',
        'GT_HOOK_TIMEOUT_MS',
      ].sort(),
    );
    expect(env).toMatchObject({
      PATH: '/shims:/usr/bin',
      HOME: '/srv/town/.gt/agents/claude/gt-1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8377',
      ANTHROPIC_API_KEY: 'sk-ant-gastown-placeholder',
    });
    expect(JSON.stringify(env)).not.toMatch(/sk-ant-real|sk-ant-other|sk-openai|ghp_|oauth-token|npmrc/);
  });

  it('holds a bearer token in the gate too; refuses Bedrock, Vertex, OAuth and no key, saying what to do', () => {
    expect(gatedModelOf({ ANTHROPIC_AUTH_TOKEN: 'gateway-token' }, {})).toEqual({
      endpoint: {
        baseUrl: 'https://api.anthropic.com',
        credential: { header: 'authorization', value: 'gateway-token' },
      },
      keyName: 'ANTHROPIC_AUTH_TOKEN',
    });
    expect(() => gatedModelOf({ CLAUDE_CODE_USE_BEDROCK: '1', AWS_ACCESS_KEY_ID: 'x' }, {})).toThrow(
      /Bedrock credentials cannot be kept out of the sandbox.*sandbox: none/,
    );
    expect(() => gatedModelOf({ CLAUDE_CODE_USE_VERTEX: '1' }, {})).toThrow(/Vertex/);
    expect(() => gatedModelOf({ CLAUDE_CODE_OAUTH_TOKEN: 'o' }, {})).toThrow(/OAuth token/);
    expect(() => gatedModelOf({}, { apiKeyEnv: 'MY_KEY' })).toThrow(/set MY_KEY/);
  });

  it('on the host (sandbox: none): the real endpoint and key, still no other variable', () => {
    const { env } = claudeEnv({
      base: callerEnv,
      path: callerEnv.PATH,
      stateDir: '/state',
      hook,
      model: hostAccess(callerEnv, { apiKeyEnv: 'MY_TEST_KEY' }),
    });
    expect(env['ANTHROPIC_API_KEY']).toBe('sk-ant-real-key-0123456789');
    expect(env['OPENAI_API_KEY']).toBeUndefined();
    expect(env['GITHUB_TOKEN']).toBeUndefined();
    expect(env['NPM_CONFIG_USERCONFIG']).toBeUndefined();
    expect(env['CLAUDECODE']).toBeUndefined();
  });
});
