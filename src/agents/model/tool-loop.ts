// Our own agent loop over any ModelClient: call the model, report what it said, thought and spent,
// run each tool call it asks for through `execute`, feed the results back, and repeat until it
// answers without tool calls. Exactly one ending is emitted: `done` (success with the model's final
// text; failure when stopped, out of turns, or a tool ended the session) or `error` (the model's
// endpoint failed for good). Nudges queued by the caller reach the model as a user message before
// its next call, and the conversation is trimmed to stay within the model's context.
//
// Stable exports (the Mayor reuses the loop with its MCP tools):
//   runToolLoop(options) → Promise<ToolLoopResult>
//   ToolLoopOptions, ToolExecution, ToolLoopResult
// `execute` never throws on purpose: a thrown error becomes an error result the model sees.
import type { AgentEvent } from '../runtime.js';
import { trimToFit } from './context.js';
import type {
  ModelClient,
  ModelDelta,
  ModelMessage,
  ModelTool,
  ModelToolCall,
  ModelToolResult,
} from './types.js';
import { truncatedStopReasons } from './types.js';

export interface ToolExecution {
  output: string;
  isError: boolean;
  /** Ends the session once this call's turn is done (a `give_up` tool): the done event to emit. */
  end?: { outcome: 'success' | 'failure'; summary: string };
}

export interface ToolLoopOptions {
  client: ModelClient;
  system: string;
  /** The first user message: the task. */
  prompt: string;
  /** An earlier conversation this one continues (the Mayor's REPL); `prompt` follows it. */
  history?: readonly ModelMessage[];
  tools: readonly ModelTool[];
  /** Runs one call; the caller reports tool_call / tool_result events itself if it wants them. */
  execute: (call: ModelToolCall) => Promise<ToolExecution>;
  emit: (event: AgentEvent) => void;
  /** Model calls at most (default 100). */
  maxTurns?: number;
  /** The model's context window (default 128k tokens). */
  contextTokens?: number;
  /** Output tokens per model call (default 8192). */
  maxOutputTokens?: number;
  /** Aborting ends the loop (the in-flight request too); a string reason is named in the done. */
  signal: AbortSignal;
  /** Messages queued by the caller; the loop takes them all before each model call. */
  nudges: string[];
  onDelta?: (delta: ModelDelta) => void;
  /**
   * Called after each completed turn (the model's reply and a result for each of its tool calls),
   * with the whole conversation so far: the model runtimes save it there so a later session can
   * resume it. Never called with a tool call that lacks its result.
   */
  onTurn?: (messages: readonly ModelMessage[]) => void;
}

export interface ToolLoopResult {
  outcome: 'success' | 'failure' | 'error';
  summary: string;
  /** The conversation as it ended (after any trimming). */
  messages: ModelMessage[];
  turns: number;
}

export const loopDefaults = { maxTurns: 100, contextTokens: 128_000, maxOutputTokens: 8192 } as const;

export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { client, signal, emit } = options;
  const maxTurns = options.maxTurns ?? loopDefaults.maxTurns;
  const messages: ModelMessage[] = [...(options.history ?? []), { role: 'user', text: options.prompt }];
  const known = new Set(options.tools.map((t) => t.name));
  let turns = 0;
  const finish = (outcome: ToolLoopResult['outcome'], summary: string): ToolLoopResult => {
    emit(outcome === 'error' ? { type: 'error', message: summary } : { type: 'done', outcome, summary });
    return { outcome, summary, messages, turns };
  };
  const stopped = () => finish('failure', `stopped: ${reasonOf(signal)}`);

  while (turns < maxTurns) {
    if (signal.aborted) return stopped();
    for (const text of options.nudges.splice(0)) {
      messages.push({ role: 'user', text });
      emit({ type: 'message', text: `nudge delivered: ${text}` });
    }
    const fit = trimToFit(messages, {
      system: options.system,
      tools: options.tools,
      contextTokens: options.contextTokens ?? loopDefaults.contextTokens,
    });
    if (fit.trimmed > 0) {
      emit({
        type: 'message',
        text: `context: shortened ${fit.trimmed} old message(s), about ${fit.before} → ${fit.after} tokens`,
      });
    }
    turns += 1;
    let turn;
    try {
      turn = await client.complete(
        {
          system: options.system,
          messages,
          tools: options.tools,
          maxOutputTokens: options.maxOutputTokens ?? loopDefaults.maxOutputTokens,
          signal,
        },
        options.onDelta,
      );
    } catch (error) {
      if (signal.aborted) return stopped();
      return finish('error', `model call to ${client.endpoint} failed: ${messageOf(error)}`);
    }
    if (turn.thinking) emit({ type: 'reasoning', text: turn.thinking });
    if (turn.text) emit({ type: 'message', text: turn.text });
    emit({ type: 'usage', model: turn.model, ...turn.usage });
    messages.push({
      role: 'assistant',
      text: turn.text,
      ...(turn.thinkingBlocks ? { thinking: turn.thinkingBlocks } : {}),
      toolCalls: turn.toolCalls,
    });
    if (turn.toolCalls.length === 0) {
      if (truncatedStopReasons.has(turn.stopReason)) {
        messages.push({
          role: 'user',
          text: 'Your reply was cut off at the output limit. Continue where it stopped.',
        });
        options.onTurn?.(messages);
        continue;
      }
      options.onTurn?.(messages);
      return finish('success', turn.text.trim() || '(the agent finished without a summary)');
    }
    const results: ModelToolResult[] = [];
    let end: ToolExecution['end'];
    for (const call of turn.toolCalls) {
      const result = signal.aborted ? notRun : await runOne(call, known, options.execute);
      results.push({ callId: call.id, output: result.output, isError: result.isError });
      end ??= result.end;
    }
    // Calls skipped by a stop still get a result: both providers insist on the pairing, and the
    // conversation stays one a later session (or the Mayor's next question) can continue.
    messages.push({ role: 'tool', results });
    options.onTurn?.(messages);
    if (end) return finish(end.outcome, end.summary);
  }
  return finish('failure', `ran out of turns (${maxTurns} model calls) before finishing`);
}

const notRun: ToolExecution = { output: 'not run: the session was stopped', isError: true };

async function runOne(
  call: ModelToolCall,
  known: ReadonlySet<string>,
  execute: ToolLoopOptions['execute'],
): Promise<ToolExecution> {
  if (!known.has(call.name)) {
    return {
      output: `there is no tool named ${call.name}; the tools are ${[...known].join(', ')}`,
      isError: true,
    };
  }
  if (call.invalidInput !== undefined) {
    return {
      output: `the arguments are not a JSON object: ${call.invalidInput.slice(0, 200)}`,
      isError: true,
    };
  }
  try {
    return await execute(call);
  } catch (error) {
    return { output: `the ${call.name} tool failed: ${messageOf(error)}`, isError: true };
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? reason.message : 'aborted';
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
