// A polecat session driven by our own tool loop: the system prompt tells the model its bead, its
// worktree and its tools; the loop runs the polecat tools through the session's gateway; nudge()
// queues a message for the next model call and stop() aborts the request in flight. With a town
// (GT_TOWN) the conversation is kept after every turn and SessionStart.resume continues a kept one
// (conversation-resume.ts). Shared by the `openai` and `anthropic` runtimes, which differ only in
// their client.
import type { AgentEvent, AgentSession, SessionStart } from '../runtime.js';
import { contextRigsText } from '../context-prompt.js';
import { EventQueue } from '../event-queue.js';
import type { ClientOptions } from './anthropic-client.js';
import { openConversation } from './conversation-resume.js';
import type { RetryOptions } from './http.js';
import { startModelGate } from './gate.js';
import { createPolecatExecutor, polecatTools } from './polecat-tools.js';
import { runToolLoop } from './tool-loop.js';
import type { ModelClient } from './types.js';

export interface ProviderDefaults {
  /** The runtime's name, as town.yaml and --agent say it. */
  name: string;
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
  /** Read when town.yaml sets no base_url / model (`ANTHROPIC_BASE_URL`, `OPENAI_MODEL`…). */
  baseUrlEnv: string;
  modelEnv: string;
  contextTokens: number;
  /** The header the real key goes in, which the session's egress gate puts on. */
  keyHeader: 'x-api-key' | 'authorization';
}

/** Tuning for tests and callers; town.yaml's settings arrive in SessionStart.config. */
export interface ModelRuntimeOptions {
  retry?: RetryOptions;
  maxTurns?: number;
}

export function clientOptionsFor(
  start: SessionStart,
  provider: ProviderDefaults,
  retry?: RetryOptions,
): ClientOptions {
  const { config, env } = start;
  const keyEnv = config.apiKeyEnv ?? provider.apiKeyEnv;
  const key = env[keyEnv];
  return {
    baseUrl: config.baseUrl ?? env[provider.baseUrlEnv] ?? provider.baseUrl,
    model: config.model ?? env[provider.modelEnv] ?? provider.model,
    key: { env: keyEnv, ...(key ? { value: key } : {}) },
    ...(retry === undefined ? {} : { retry }),
  };
}

export function systemPrompt(start: SessionStart): string {
  const { task } = start;
  const context = contextRigsText(start.contextRigs);
  const lines = [
    'You are a polecat: a coding agent working on one bead (a unit of work) in a Gas Town rig.',
    '',
    `Bead: ${task.beadId}`,
    `Title: ${task.title}`,
    ...(task.description ? ['Description:', task.description] : []),
    ...(task.steps.length > 0 ? ['Suggested steps:', ...task.steps.map((s) => `- ${s}`)] : []),
    '',
    `Your worktree is ${start.worktree}, a git checkout on your own branch. Work only inside it;`,
    'paths are relative to it. Do not commit: the town commits your work when you finish.',
    '',
    ...(context === undefined ? [] : [context, '']),
    'Tools: read_file, write_file, edit_file, list_files, search, run_command (a shell command in a',
    'sandbox without network; `gt` and `bd` may be on its PATH) and give_up. Every call is checked',
    "by the town's policy. A denied call did not run and says which rule denied it: do not retry it,",
    'find another way or call give_up with the reason.',
    '',
    'When the work is done, reply without any tool call, with a short summary of what you changed.',
  ];
  return lines.join('\n');
}

function firstPrompt(start: SessionStart): string {
  const intro = `Start on bead ${start.task.beadId}: ${start.task.title}`;
  return start.preamble ? `${start.preamble}\n\n${intro}` : intro;
}

export function startModelSession(
  start: SessionStart,
  provider: ProviderDefaults,
  makeClient: (options: ClientOptions) => ModelClient,
  options: ModelRuntimeOptions = {},
): AgentSession {
  const queue = new EventQueue<AgentEvent>();
  const abort = new AbortController();
  const nudges: string[] = [];
  const emit = (event: AgentEvent) => queue.push(event);
  const run = async () => {
    const direct = clientOptionsFor(start, provider, options.retry);
    const gate = await startModelGate(
      start,
      direct.baseUrl ?? provider.baseUrl,
      direct.key,
      provider.keyHeader,
    );
    try {
      await loop({ ...direct, via: gate.via });
    } finally {
      await gate.close();
    }
  };
  const loop = async (clientOptions: ClientOptions) => {
    const client = makeClient(clientOptions);
    const system = systemPrompt(start);
    const conversation = openConversation({
      start,
      runtime: provider.name,
      model: client.model,
      system,
      prompt: firstPrompt(start),
      secrets: clientOptions.key.value === undefined ? [] : [clientOptions.key.value],
      emit,
    });
    await runToolLoop({
      client,
      system,
      history: conversation.history,
      prompt: conversation.prompt,
      ...(conversation.onTurn ? { onTurn: conversation.onTurn } : {}),
      tools: polecatTools,
      execute: createPolecatExecutor(start.tools, emit),
      emit,
      contextTokens: start.config.contextTokens ?? provider.contextTokens,
      ...(start.config.maxOutputTokens === undefined
        ? {}
        : { maxOutputTokens: start.config.maxOutputTokens }),
      ...(options.maxTurns === undefined ? {} : { maxTurns: options.maxTurns }),
      signal: abort.signal,
      nudges,
    });
  };
  run()
    .catch((error: unknown) =>
      emit({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => queue.close());
  return {
    events: queue,
    nudge: (text) => {
      nudges.push(text);
      return Promise.resolve();
    },
    stop: (reason) => {
      if (!abort.signal.aborted) abort.abort(reason);
      return Promise.resolve();
    },
  };
}
