// The Mayor on Claude Code: `claude` with `--mcp-config` pointing at `gt mcp` (as the Mayor, under
// the request's span) and the Mayor's instructions appended to its system prompt. `ask` runs it in
// print mode with only the town's tools (no built-in file, shell or web tools: the Mayor plans, it
// does not code) and reads its stream-json; `attach` hands it the terminal.
import { spawn } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { delimiter, isAbsolute, join } from 'node:path';
import type { AgentConfig } from '../agents/index.js';
import { invalidInput } from '../errors.js';
import { mcpServerName } from '../mcp/protocol.js';
import { mayorActor, requestIdEnv, requestSpanEnv } from './actor.js';
import type { MayorEvent } from './model-mayor.js';
import type { MayorAnswer, MayorRequest, MayorUsage } from './request.js';

export interface ClaudeMayorOptions {
  root: string;
  cwd: string;
  config: AgentConfig;
  env: Record<string, string | undefined>;
  gt: readonly string[];
  request: MayorRequest;
  system: string;
  signal?: AbortSignal;
  onEvent?: (event: MayorEvent) => void;
  /** What the run spent, from its result line: Claude's tokens and its own cost figure. */
  onUsage?: (usage: MayorUsage) => void;
}

/** Set by a Claude Code that runs us; a child must not think it is nested in that session. */
const nestingMarks = ['CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT', 'CLAUDE_CODE_SESSION_ID', 'CLAUDE_PROJECT_DIR'];

export function findClaude(config: AgentConfig, env: Record<string, string | undefined>): string | undefined {
  const wanted = config.command ?? 'claude';
  const candidates =
    wanted.includes('/') || isAbsolute(wanted)
      ? [wanted]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, wanted));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // not this one
    }
  }
  return undefined;
}

function requireClaude(config: AgentConfig, env: Record<string, string | undefined>): string {
  const found = findClaude(config, env);
  if (found !== undefined) return found;
  throw invalidInput(
    config.command === undefined
      ? 'the Mayor runs on claude-code, but there is no `claude` on PATH: install Claude Code or set agents.claude-code.command in town.yaml'
      : `agents.claude-code.command in town.yaml is not an executable file: ${config.command}`,
  );
}

/** `--mcp-config` JSON: the town's tools, acting as the Mayor for this request. */
export function mcpConfig(gt: readonly string[], root: string, request: MayorRequest | undefined): string {
  const [command, ...prefix] = gt;
  return JSON.stringify({
    mcpServers: {
      [mcpServerName]: {
        type: 'stdio',
        command,
        args: [...prefix, '--town', root, 'mcp'],
        env: {
          GT_ACTOR: mayorActor,
          ...(request ? { [requestSpanEnv]: request.span, [requestIdEnv]: request.id } : {}),
        },
      },
    },
  });
}

export function claudeEnvFor(
  config: AgentConfig,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && !nestingMarks.includes(name)) out[name] = value;
  if (config.apiKeyEnv !== undefined && env[config.apiKeyEnv] !== undefined)
    out.ANTHROPIC_API_KEY = env[config.apiKeyEnv] ?? '';
  if (config.baseUrl !== undefined) out.ANTHROPIC_BASE_URL = config.baseUrl;
  out.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';
  out.DISABLE_AUTOUPDATER = '1';
  return out;
}

export async function runClaudeMayor(options: ClaudeMayorOptions): Promise<MayorAnswer> {
  const claude = requireClaude(options.config, options.env);
  // The request goes in on stdin: as an argument, text starting with `-` would read as an option.
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--setting-sources',
    '',
    '--strict-mcp-config',
    '--mcp-config',
    mcpConfig(options.gt, options.root, options.request),
    // No built-in tools (files, shell, web): the Mayor acts only through the town's tools.
    '--tools',
    '',
    '--allowedTools',
    `mcp__${mcpServerName}`,
    '--append-system-prompt',
    options.system,
    ...(options.config.model === undefined ? [] : ['--model', options.config.model]),
    ...(options.config.args ?? []),
  ];
  const child = spawn(claude, args, {
    cwd: options.cwd,
    env: claudeEnvFor(options.config, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  child.stdin.on('error', () => undefined); // a claude that exits early closes its stdin
  child.stdin.end(options.request.text);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const answer: MayorAnswer = { text: '', outcome: 'error', runtime: 'claude-code' };
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  for await (const line of createInterface({ input: child.stdout }))
    readStreamLine(line, answer, options.onEvent, options.onUsage);
  const code = await exited.catch((error: unknown) => {
    answer.text = `claude failed to start: ${error instanceof Error ? error.message : String(error)}`;
    return -1;
  });
  if (answer.text === '') {
    answer.text = `claude exited with code ${String(code)} without an answer${stderr ? `: ${stderr.trim().slice(-500)}` : ''}`;
  }
  return answer;
}

/** One line of Claude Code's stream-json: text, thinking and tool calls as they come; the result at the end. */
function readStreamLine(
  line: string,
  answer: MayorAnswer,
  onEvent?: (event: MayorEvent) => void,
  onUsage?: (usage: MayorUsage) => void,
): void {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (message.type === 'assistant') {
    const inner = message.message as { content?: Record<string, unknown>[]; model?: string } | undefined;
    if (inner?.model) answer.model = inner.model;
    for (const block of inner?.content ?? []) {
      if (block.type === 'text' && typeof block.text === 'string')
        onEvent?.({ type: 'text', text: block.text });
      if (block.type === 'thinking' && typeof block.thinking === 'string')
        onEvent?.({ type: 'thinking', text: block.thinking });
      if (block.type === 'tool_use' && typeof block.name === 'string') {
        const input = (block.input ?? {}) as Record<string, unknown>;
        onEvent?.({
          type: 'tool',
          name: block.name.replace(`mcp__${mcpServerName}__`, ''),
          input,
          isError: false,
          output: '',
        });
      }
    }
  }
  if (message.type === 'result') {
    const usage = message.usage as
      | {
          input_tokens?: number;
          output_tokens?: number;
          cache_read_input_tokens?: number;
          cache_creation_input_tokens?: number;
        }
      | undefined;
    answer.text = typeof message.result === 'string' ? message.result : JSON.stringify(message.subtype ?? '');
    answer.outcome = message.is_error === true || message.subtype !== 'success' ? 'failure' : 'success';
    if (typeof message.num_turns === 'number') answer.turns = message.num_turns;
    if (typeof message.total_cost_usd === 'number') answer.costUsd = message.total_cost_usd;
    if (usage)
      answer.usage = { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 };
    if (usage)
      onUsage?.({
        ...(answer.model === undefined || answer.model.startsWith('<') ? {} : { model: answer.model }),
        inputTokens: usage.input_tokens ?? 0,
        outputTokens: usage.output_tokens ?? 0,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
        ...(answer.costUsd === undefined ? {} : { costUsd: answer.costUsd }),
      });
  }
}

/** `gt mayor attach` with Claude Code: the terminal is Claude's until it exits. */
export async function attachClaude(
  options: Omit<ClaudeMayorOptions, 'request' | 'onEvent' | 'onUsage' | 'signal'> & { request: MayorRequest },
): Promise<number> {
  const claude = requireClaude(options.config, options.env);
  const child = spawn(
    claude,
    [
      '--mcp-config',
      mcpConfig(options.gt, options.root, options.request),
      '--allowedTools',
      `mcp__${mcpServerName}`,
      '--append-system-prompt',
      options.system,
      ...(options.config.model === undefined ? [] : ['--model', options.config.model]),
      ...(options.config.args ?? []),
    ],
    { cwd: options.cwd, env: claudeEnvFor(options.config, options.env), stdio: 'inherit' },
  );
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}
