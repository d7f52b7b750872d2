// One Codex session: `codex exec --json` in the worktree (its own process group), the prompt on
// stdin, every JSONL line read in order into AgentEvents, the hook server answering its PreToolUse
// calls. A nudge cannot reach a running `codex exec`; it is kept and sent as the next turn
// (`codex exec resume <thread>`) once the current one ends, so the session ends only when no nudge
// is left. Stop and kill take the whole process group: SIGTERM, then SIGKILL.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { reapGroup, signalQuietly } from '../../sandbox/process-group.js';
import type { EventQueue } from '../event-queue.js';
import type { AgentEvent, AgentSession, SessionStart } from '../runtime.js';
import { signalNamespace } from '../agent-sandbox.js';
import { contextRigsText } from '../context-prompt.js';
import { codexArgv } from './command.js';
import type { CodexEvent } from './events.js';
import { parseCodexLine, todoText } from './events.js';
import { CodexGovernor, giveUpCommand } from './governor.js';
import type { HookServer } from './hook-server.js';
import type { CodexLaunch } from './launch.js';

const graceMs = 3_000;
const stderrTail = 8 * 1024;

interface TurnResult {
  exitCode: number | null;
  failure?: string;
}

export function runCodexSession(
  start: SessionStart,
  launch: CodexLaunch,
  queue: EventQueue<AgentEvent>,
): AgentSession {
  const nudges: string[] = [];
  let child: ChildProcess | undefined;
  let killedFor: string | undefined;
  let stoppedFor: string | undefined;
  let threadId = start.resume;
  let lastMessage = '';
  let hooks: HookServer | undefined;
  /** bwrap's pid-namespace init, once it reports it: pausing must reach inside the namespace. */
  let namespaceInit: number | undefined;

  const group = (signal: NodeJS.Signals) => {
    if (child?.pid !== undefined) signalQuietly(-child.pid, signal);
    if (namespaceInit !== undefined && (signal === 'SIGSTOP' || signal === 'SIGCONT'))
      signalNamespace(namespaceInit, signal);
  };
  const terminate = () => {
    group('SIGCONT');
    group('SIGTERM');
    const pid = child?.pid;
    if (pid !== undefined) setTimeout(() => void reapGroup(pid, 1_000), graceMs).unref();
  };
  const governor = new CodexGovernor({
    tools: start.tools,
    worktree: start.worktree,
    emit: (event) => queue.push(event),
    pause: () => group('SIGSTOP'),
    resume: () => {
      if (killedFor === undefined) group('SIGCONT');
    },
    kill: (summary) => {
      killedFor ??= summary;
      terminate();
    },
  });

  const handle = async (event: CodexEvent, turn: { failure?: string }) => {
    switch (event.type) {
      case 'thread.started':
        if (event.threadId !== '' && event.threadId !== threadId) {
          threadId = event.threadId;
          queue.push({ type: 'agent_session', id: event.threadId });
        }
        return;
      case 'turn.completed': {
        const { usage } = event;
        queue.push({
          type: 'usage',
          model: launch.provider.model,
          // Codex counts cached input inside input_tokens; ours are the uncached ones.
          inputTokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens),
          outputTokens: usage.outputTokens,
          ...(usage.cachedInputTokens > 0 ? { cacheReadTokens: usage.cachedInputTokens } : {}),
          ...(usage.cacheWriteInputTokens > 0 ? { cacheWriteTokens: usage.cacheWriteInputTokens } : {}),
        });
        return;
      }
      case 'turn.failed':
        turn.failure = event.message;
        return;
      case 'error':
        queue.push({ type: 'message', text: `codex error: ${event.message}` });
        return;
      case 'item.started':
        await governor.started(event.item);
        return;
      case 'item.completed': {
        const { item } = event;
        if (item.type === 'agent_message') {
          lastMessage = item.text;
          queue.push({ type: 'message', text: item.text });
        } else if (item.type === 'reasoning') queue.push({ type: 'reasoning', text: item.text });
        else if (item.type === 'todo_list') queue.push({ type: 'message', text: todoText(item.items) });
        // Codex warns about the hook-trust flag we pass on purpose (our own hook); anything else is news.
        else if (item.type === 'error' && !item.message.includes('--dangerously-bypass-hook-trust'))
          queue.push({ type: 'message', text: `codex warning: ${item.message}` });
        else if (item.type !== 'error') await governor.completed(item);
        return;
      }
      default:
        return;
    }
  };

  const runTurn = async (prompt: string, resume: string | undefined): Promise<TurnResult> => {
    const args = codexArgv({
      provider: launch.provider,
      sandbox: launch.sandbox,
      ...(resume === undefined ? {} : { resume }),
      ...(start.config.args === undefined ? {} : { extraArgs: start.config.args }),
    });
    hooks ??= await launch.serveHooks((input) => governor.preToolUse(input));
    const spec = launch.spawnFor(args, hooks);
    namespaceInit = undefined;
    const proc = spawn(spec.file, spec.args, {
      cwd: start.worktree,
      detached: true,
      stdio: spec.infoFd ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      env: spec.env,
    });
    if (spec.infoFd) watchInfo(proc, (pid) => (namespaceInit = pid));
    child = proc;
    // A stop that came while we were starting still ends this process.
    if (stoppedFor !== undefined || killedFor !== undefined) terminate();
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrTail);
    });
    proc.stdin?.on('error', () => undefined);
    proc.stdin?.end(prompt);
    const closed = new Promise<number | null>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('close', (code) => resolve(code));
    });
    // Awaited below, after the output is read; a failed spawn must not count as unhandled meanwhile.
    closed.catch(() => undefined);
    const turn: { failure?: string } = {};
    const { stdout } = proc;
    if (stdout === null) throw new Error('codex started without an output pipe');
    for await (const line of createInterface({ input: stdout, crlfDelay: Infinity })) {
      const event = parseCodexLine(line);
      if (event !== undefined) await handle(event, turn);
    }
    const exitCode = await closed;
    if (proc.pid !== undefined) await reapGroup(proc.pid, 1_000);
    const failure =
      turn.failure ??
      (exitCode === 0 ? undefined : `codex exited with ${exitCode ?? 'a signal'}: ${lastLines(stderr)}`);
    return { exitCode, ...(failure === undefined ? {} : { failure }) };
  };

  const run = async (): Promise<void> => {
    let prompt = promptOf(start);
    let resume = start.resume;
    // Read through functions: both change while a turn runs, which narrowing cannot see.
    const killed = () => killedFor;
    const stopped = () => stoppedFor;
    for (;;) {
      const before = stopped();
      if (before !== undefined) return finish('failure', `stopped: ${before}`);
      const result = await runTurn(prompt, resume);
      const kill = killed();
      if (kill !== undefined) return finish('failure', kill);
      const stop = stopped();
      if (stop !== undefined) return finish('failure', `stopped: ${stop}`);
      if (result.failure !== undefined) return finish('failure', result.failure);
      if (nudges.length === 0 || threadId === undefined) {
        return finish('success', lastMessage.trim() === '' ? 'codex finished its turn' : lastMessage.trim());
      }
      prompt = nudges.splice(0).join('\n\n');
      resume = threadId;
    }
  };
  const finish = (outcome: 'success' | 'failure', summary: string) => {
    queue.push({ type: 'done', outcome, summary });
  };

  run()
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      queue.push({ type: 'done', outcome: 'failure', summary: `codex could not run: ${message}` });
    })
    .finally(() => {
      void hooks?.close();
      queue.close();
    });

  return {
    events: queue,
    nudge: (text) => {
      nudges.push(text);
      queue.push({ type: 'message', text: `nudge queued for codex's next turn: ${text}` });
      return Promise.resolve();
    },
    stop: (reason) => {
      stoppedFor ??= reason;
      terminate();
      return Promise.resolve();
    },
  };
}

/** Reads bwrap's `--info-fd` JSON for the namespace's init pid. */
function watchInfo(proc: ChildProcess, found: (pid: number) => void): void {
  const info = proc.stdio[3] as NodeJS.ReadableStream | null | undefined;
  if (!info) return;
  let text = '';
  info.setEncoding('utf8');
  info.on('data', (chunk: string) => {
    text += chunk;
    const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
    if (match?.[1] !== undefined) found(Number(match[1]));
  });
  info.on('error', () => undefined);
}

function lastLines(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.slice(-5).join('\n') || 'no output on stderr';
}

/** The first turn's prompt: the bead, its steps as guidance, and whatever the session starts with. */
export function promptOf(start: SessionStart): string {
  const { task } = start;
  const contextText = contextRigsText(start.contextRigs);
  const parts = [
    `You are a Gas Town polecat working on bead ${task.beadId}: ${task.title}`,
    ...(task.description ? [task.description] : []),
    ...(task.steps.length > 0
      ? [`Steps:\n${task.steps.map((step, i) => `${i + 1}. ${step}`).join('\n')}`]
      : []),
    ...(contextText === undefined ? [] : [contextText]),
    ...(start.preamble ? [start.preamble] : []),
    'Work in the current directory. Do not commit: Gas Town commits your work when you finish. ' +
      'Every command and file change is checked against the town policy; a denied call tells you why ' +
      `and did not run. If you cannot finish the task, run \`${giveUpCommand} "<why>"\` and stop.`,
  ];
  return parts.join('\n\n');
}
