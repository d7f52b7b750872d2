// One Claude Code process from start to end. The task goes in as the first stream-json user
// message and each nudge as another; every stdout line becomes events. When a turn's result
// arrives and Claude has read every message we wrote, stdin is closed and Claude exits; a nudge it
// has not read yet keeps it open for one more turn. stop() ends the process group (SIGTERM, then
// SIGKILL after a grace period); a process that ends without a result is an error with its stderr.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EventQueue } from '../event-queue.js';
import type { AgentEvent, AgentSession, SessionStart, ToolVerdict } from '../runtime.js';
import { egressUrl, sessionRoutePrefix } from '../../sandbox/index.js';
import type { EgressGate } from '../../sandbox/index.js';
import { startClaudeGate } from './egress.js';
import { hookHandler } from './hook-handler.js';
import { hookRoutes, startHookServer } from './hook-server.js';
import type { HookServer } from './hook-server.js';
import { townForwardRoutes } from '../town-forward-session.js';
import { prepareLaunch, requireSandbox } from './launch.js';
import type { Launch } from './launch.js';
import { gatedModelOf } from './model-endpoint.js';
import { taskPrompt, userMessage } from './prompt.js';
import { findGtInstall } from './settings.js';
import { parseStreamLine } from './stream-lines.js';
import { StreamTranslator } from './stream-events.js';
import type { TurnResult } from './stream-events.js';

export interface ClaudeSessionOptions {
  /** How long claude gets after SIGTERM before SIGKILL. */
  graceMs?: number;
  /**
   * `false` runs Claude on the host, as policy.yaml `sandbox: none` does (default: in the sandbox,
   * and a session where bubblewrap does not work fails to start).
   */
  sandbox?: boolean;
}

const stderrKept = 8 * 1024;

export function startClaudeSession(start: SessionStart, options: ClaudeSessionOptions = {}): AgentSession {
  const queue = new EventQueue<AgentEvent>();
  const verdicts = new Map<string, ToolVerdict>();
  const translator = new StreamTranslator(start.worktree, (id) => verdicts.get(id));
  const early: string[] = [];
  let child: ChildProcess | undefined;
  let stopReason: string | undefined;
  let gaveUp: string | undefined;
  let failure: string | undefined;
  let result: TurnResult | undefined;
  let written = 0;
  let read = 0;
  let stdinOpen = false;
  let stderr = '';
  let over = false;

  const write = (text: string) => {
    if (!child?.stdin || !stdinOpen) return false;
    child.stdin.write(userMessage(text));
    written++;
    return true;
  };
  // A nudge goes into the transcript too, as the model runtimes' do, once it is on Claude's stdin.
  const deliver = (text: string) => {
    if (!write(text)) return false;
    queue.push({ type: 'message', text: `nudge delivered: ${text}` });
    return true;
  };
  const closeStdin = () => {
    if (!stdinOpen) return;
    stdinOpen = false;
    child?.stdin?.end();
  };
  const kill = (signal: NodeJS.Signals) => {
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = (reason: string) => {
    stopReason ??= reason;
    closeStdin();
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), options.graceMs ?? 5000).unref();
  };

  const onLine = (text: string) => {
    if (text.trim() === '') return;
    const parsed = parseStreamLine(text);
    if ('problem' in parsed) return;
    const translated = translator.translate(parsed.line);
    for (const event of translated.events) queue.push(event);
    if (translated.replayed) read++;
    if (translated.ungoverned !== undefined) {
      failure = `${translated.ungoverned} ran without asking the Gas Town policy (are the hooks in force?)`;
      stop(failure);
    }
    if (translated.result) {
      result = translated.result;
      if (read >= written) closeStdin();
    }
  };

  const finish = (code: number | null, signal: NodeJS.Signals | null) => {
    const tail = stderr.trim().split('\n').slice(-20).join('\n');
    if (failure !== undefined) queue.push({ type: 'error', message: failure });
    else if (gaveUp !== undefined) queue.push({ type: 'done', outcome: 'failure', summary: gaveUp });
    else if (stopReason !== undefined)
      queue.push({ type: 'done', outcome: 'failure', summary: `stopped: ${stopReason}` });
    else if (result !== undefined)
      queue.push({ type: 'done', outcome: result.ok ? 'success' : 'failure', summary: result.summary });
    else {
      const how = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
      queue.push({
        type: 'error',
        message: `claude ended (${how}) without a result${tail ? `: ${tail}` : ''}`,
      });
    }
  };

  const handler = hookHandler({
    worktree: start.worktree,
    tools: start.tools,
    verdicts,
    stopping: () => stopReason,
    onTerminalDenial: (verdict) => stop(`${verdict.rule}: ${verdict.reason}`),
    onGiveUp: (summary) => {
      if (stopReason === undefined) gaveUp ??= summary;
      stop(summary);
    },
  });
  // The sandboxed `bd` and `gt` shims post town commands next to the hooks (POST /exec).
  const routes = () => townForwardRoutes(start, () => findGtInstall().bundle);

  const run = async (): Promise<void> => {
    let hooks: HookServer | undefined;
    let gate: EgressGate | undefined;
    try {
      let launch: Launch;
      if (options.sandbox ?? start.sandbox !== 'none') {
        requireSandbox();
        const model = gatedModelOf(start.env, start.config);
        const session = hookRoutes(handler, routes());
        gate = await startClaudeGate(start, model, session.listener);
        const hook = { url: `${egressUrl}${sessionRoutePrefix}`, token: session.token };
        launch = await prepareLaunch(start, hook, { gate, model });
      } else {
        hooks = await startHookServer(handler, routes());
        launch = await prepareLaunch(start, hooks, undefined);
      }
      for (const text of launch.notes) queue.push({ type: 'message', text });
      if (stopReason !== undefined) {
        queue.push({ type: 'done', outcome: 'failure', summary: `stopped: ${stopReason}` });
        return;
      }
      const proc = spawn(launch.file, launch.args, {
        cwd: launch.cwd,
        env: launch.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      child = proc;
      stdinOpen = true;
      proc.stdin.on('error', () => undefined);
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-stderrKept);
      });
      const lines = createInterface({ input: proc.stdout });
      lines.on('line', onLine);
      const linesDone = new Promise((resolve) => lines.once('close', resolve));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        proc.once('error', reject);
        proc.once('close', (code, signal) => resolve({ code, signal }));
      });
      write(taskPrompt(start));
      for (const text of early.splice(0)) deliver(text);
      const { code, signal } = await ended;
      await linesDone;
      finish(code, signal);
    } finally {
      await hooks?.close();
      await gate?.close();
    }
  };

  run()
    .catch((error: unknown) =>
      queue.push({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => {
      over = true;
      queue.close();
    });

  return {
    events: queue,
    nudge: (text) => {
      if (child === undefined && stopReason === undefined && !over) early.push(text);
      // Refused once Claude is finishing: the caller keeps the nudge for the next session.
      else if (!deliver(text))
        return Promise.reject(new Error('the Claude Code session is ending; nudge not delivered'));
      return Promise.resolve();
    },
    stop: (reason) => {
      stop(reason);
      return Promise.resolve();
    },
  };
}
