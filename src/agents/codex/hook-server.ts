// Codex's PreToolUse hook, answered by the policy. Codex runs a command hook before each tool call
// and reads its verdict from stdout; our hook is a tiny Node script (written into CODEX_HOME) that
// forwards the hook's input to this server on 127.0.0.1 and prints the answer. The server asks the
// gateway (policy, approvals: an `ask` waits for the Overseer) and answers allow (`{}`) or deny.
//
// Codex fails OPEN on a hook that times out, crashes, exits with a code other than 2 or prints
// something it cannot parse (checked with codex-cli 0.169.0), so the script turns every failure of
// its own into exit 2, the hook's timeout is a day (the approval timeout ends an ask long before),
// and the JSONL audit in session.ts still checks every command the hook did not see.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolRequest, ToolVerdict } from '../runtime.js';
import type { HookInput } from './tool-requests.js';

export const hookScriptName = 'gastown-pre-tool-hook.mjs';
/** Seconds Codex gives the hook before giving up on it (and letting the call through). */
export const hookTimeoutSeconds = 86_400;
const maxBody = 4 * 1024 * 1024;

/** The hook client: stdin → our server → stdout; any failure of its own blocks the call (exit 2). */
const hookScript = `// Gas Town: Codex PreToolUse hook (generated; rewritten at every session start).
import { request } from 'node:http';
const fail = (why) => {
  process.stderr.write('Gas Town policy hook failed closed: ' + why);
  process.exit(2);
};
try {
  const url = new URL(process.env.GT_CODEX_HOOK_URL ?? '');
  let body = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) body += chunk;
  const req = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gastown-hook': process.env.GT_CODEX_HOOK_TOKEN ?? '' },
  }, (res) => {
    let answer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (answer += chunk));
    res.on('end', () => {
      if (res.statusCode !== 200) return fail('HTTP ' + res.statusCode + ' ' + answer);
      process.stdout.write(answer);
      process.exit(0);
    });
    res.on('error', (error) => fail(error.message));
  });
  req.on('error', (error) => fail(error.message));
  req.end(body);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
`;

/**
 * The hook command Codex runs (through a shell). It is a constant: the Node binary and the script
 * come from the environment we give Codex, so no path is ever spliced into shell text.
 */
export const hookCommand = '"$GT_CODEX_HOOK_NODE" "$GT_CODEX_HOOK_SCRIPT"';

/** The hook's variables for Codex: where to post, with which key, and how to run the script. */
export function hookEnv(
  hook: { url: string; token: string },
  node: string,
  script: string,
): Record<string, string> {
  return {
    GT_CODEX_HOOK_URL: hook.url,
    GT_CODEX_HOOK_TOKEN: hook.token,
    GT_CODEX_HOOK_NODE: node,
    GT_CODEX_HOOK_SCRIPT: script,
  };
}

/** Codex's own config file: ours, empty (our settings come as `-c`), so nothing else is in it. */
const configText = '# Gas Town: rewritten at every session start; settings come as -c arguments.\n';

/**
 * Writes the hook script into `scriptDir`, and `hooks.json` and an empty `config.toml` into
 * CODEX_HOME (same content every time; atomic; readable by the sandbox uid, secrets none). A fresh
 * temporary name each time, created exclusively: CODEX_HOME may hold what a sandboxed command left.
 */
export async function installHook(codexHome: string, scriptDir: string = codexHome): Promise<string> {
  await mkdir(codexHome, { recursive: true, mode: 0o700 });
  await mkdir(scriptDir, { recursive: true, mode: 0o755 });
  const script = join(scriptDir, hookScriptName);
  const hooks = {
    hooks: {
      PreToolUse: [{ hooks: [{ type: 'command', command: hookCommand, timeout: hookTimeoutSeconds }] }],
    },
  };
  for (const [path, text] of [
    [script, hookScript],
    [join(codexHome, 'hooks.json'), `${JSON.stringify(hooks, null, 2)}\n`],
    [join(codexHome, 'config.toml'), configText],
  ] as const) {
    const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
    await writeFile(temp, text, { mode: 0o644, flag: 'wx' });
    await rename(temp, path);
  }
  return script;
}

export interface HookDecision {
  verdicts: ToolVerdict[];
  requests: ToolRequest[];
}

export interface HookServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Codex's PreToolUse output: `{}` lets the call through, this blocks it and tells the model why. */
export function hookAnswer(verdicts: readonly ToolVerdict[]): Record<string, unknown> {
  const denied = verdicts.find((verdict) => verdict.decision === 'deny');
  if (denied === undefined) return {};
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: `Gas Town policy denied this (${denied.rule}): ${denied.reason}`,
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > maxBody) throw new Error('hook input too large');
  }
  return body;
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** Answers one hook request (ours carry the session's key); `decide` is the session's gateway. */
export function hookListener(
  decide: (input: HookInput) => Promise<HookDecision>,
  token: string,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || !sameToken(request.headers['x-gastown-hook'], token)) {
      reply(403, { error: 'not a Gas Town hook' });
      return;
    }
    readBody(request)
      .then(async (body) => {
        const input = JSON.parse(body) as HookInput;
        if (input.hook_event_name !== undefined && input.hook_event_name !== 'PreToolUse') {
          reply(200, {});
          return;
        }
        reply(200, hookAnswer((await decide(input)).verdicts));
      })
      // A non-200 answer makes the hook exit 2, which blocks the call.
      .catch((error: unknown) =>
        reply(500, { error: error instanceof Error ? error.message : String(error) }),
      );
  };
}

/** A fresh key for the session's hook. */
export const newHookToken = (): string => randomBytes(24).toString('hex');

/** Serves the hook on 127.0.0.1 (Codex on the host); `decide` judges one PreToolUse input. */
export async function startHookServer(
  decide: (input: HookInput) => Promise<HookDecision>,
): Promise<HookServer> {
  const token = newHookToken();
  const server: Server = createServer(hookListener(decide, token));
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pre-tool-use`,
    token,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
