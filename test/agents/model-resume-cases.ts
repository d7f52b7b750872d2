// Resuming, for both model runtimes against the scripted model server: with a town (GT_TOWN) a
// session announces its conversation (`agent_session`) and keeps it under .gt/agents/<runtime>/
// after every turn, private and without the key; a session stopped mid-way and a new one started
// with `resume` sends the model the earlier messages plus a note that it was resumed (with the
// preamble and the task); a missing or corrupt conversation starts afresh and says why; trimming
// still keeps a resumed conversation within the context window.
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent, AgentSession, ToolGateway } from '../../src/agents/index.js';
import type { ModelServer, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import type { ModelRuntimeSpec } from './model-runtime-cases.js';
import { toolResultsOf } from './model-runtime-cases.js';
import { recordingGateway } from './runtime-contract.js';

const key = 'sk-test-resume-0123456789-keep-me-off-disk';

async function collect(session: AgentSession): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.events) events.push(event);
  return events;
}

const idOf = (events: AgentEvent[]): string | undefined =>
  events.find((e): e is Extract<AgentEvent, { type: 'agent_session' }> => e.type === 'agent_session')?.id;

const messages = (events: AgentEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'message' ? [e.text] : []));

export function modelResumeCases(spec: ModelRuntimeSpec): void {
  describe(`${spec.name} runtime resuming a kept conversation`, () => {
    let server: ModelServer;
    let town: string;
    beforeAll(async () => {
      server = await startModelServer();
    });
    afterAll(async () => {
      await server.close();
      await removeTempDirs();
    });
    const generations = () => server.requests.filter((r) => r.api === spec.api);

    const start = (
      turns: ScriptedTurn[],
      options: { resume?: string; preamble?: string; tools?: ToolGateway; contextTokens?: number } = {},
    ): AgentSession => {
      server.requests.length = 0;
      server.push(...turns);
      return spec.make({ retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } }).start({
        sessionId: 'ses-resume',
        worktree: '/work/tree',
        task: { beadId: 'gt-res', title: 'Count to three', steps: [] },
        tools: options.tools ?? recordingGateway(),
        config: {
          baseUrl: spec.baseUrl(server.url),
          apiKeyEnv: 'GT_TEST_MODEL_KEY',
          model: 'test-model',
          ...(options.contextTokens === undefined ? {} : { contextTokens: options.contextTokens }),
        },
        env: { GT_TEST_MODEL_KEY: key, GT_TOWN: town },
        ...(options.resume === undefined ? {} : { resume: options.resume }),
        ...(options.preamble === undefined ? {} : { preamble: options.preamble }),
      });
    };

    beforeAll(async () => {
      town = await makeTempDir('gt-resume-town');
    });

    it('a session stopped mid-way is continued by the next: earlier messages, then the resume note', async () => {
      // The command prints the key, as `env` would: the kept conversation must not hold it.
      const tools = recordingGateway((r) => ({ output: `ran ${r.command ?? ''} with KEY=${key}` }));
      const first = start(
        [
          { text: 'Counting: one.', toolCalls: [{ name: 'run_command', input: { command: 'echo one' } }] },
          { delayMs: 60_000, text: 'never arrives' },
        ],
        { tools },
      );
      const firstEvents = collect(first);
      await server.waitForRequest((r) => r.api === spec.api && toolResultsOf(r).length === 1);
      await first.stop('budget spent');
      const before = await firstEvents;
      expect(before.at(-1)).toMatchObject({ type: 'done', outcome: 'failure' });
      const id = idOf(before);
      expect(id).toMatch(/^conv-[0-9a-f]+$/);

      const file = join(town, '.gt', 'agents', spec.name, `${id ?? ''}.json`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const kept = readFileSync(file, 'utf8');
      expect(kept).toContain('echo one');
      expect(kept).toContain('[redacted]');
      expect(kept).not.toContain(key);

      const second = await collect(
        start([{ text: 'Two and three are done too.' }], {
          resume: id ?? '',
          preamble: 'Handoff note: one is done, two and three remain.',
        }),
      );
      expect(idOf(second)).toBe(id);
      expect(
        messages(second).some((m) => m.startsWith(`resumed conversation ${id ?? ''}: 3 message(s)`)),
      ).toBe(true);
      expect(second.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      const [request] = generations();
      const body = JSON.stringify(request?.body);
      // The task first, the earlier turn with its call and result, then the note.
      expect(body).toContain('Start on bead gt-res');
      expect(body).toContain('Counting: one.');
      expect(body).toContain('echo one');
      expect(toolResultsOf(request!)).toHaveLength(1);
      expect(body).toContain('This session was resumed');
      expect(body).toContain('Handoff note: one is done, two and three remain.');
      expect(body).toContain('Your task is still bead gt-res: Count to three');
      expect(body.indexOf('echo one')).toBeLessThan(body.indexOf('This session was resumed'));
      // The finished turn is kept too, for whichever session comes next.
      expect(readFileSync(file, 'utf8')).toContain('Two and three are done too.');
    });

    it('starts afresh, saying why, when the kept conversation is corrupt or missing', async () => {
      const dir = join(town, '.gt', 'agents', spec.name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'conv-broken.json'), '{"version":1,"messages":[{"role":"assist');
      for (const [resume, why] of [
        ['conv-broken', 'is not valid JSON'],
        ['conv-gone', 'does not exist'],
        ['../../../etc/passwd', 'not a conversation id'],
      ] as const) {
        const events = await collect(start([{ text: 'Started over.' }], { resume }));
        const said = messages(events).find((m) => m.startsWith(`could not resume conversation ${resume}:`));
        expect(said).toContain(why);
        expect(said).toContain('starting afresh');
        expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success', summary: 'Started over.' });
        const id = idOf(events);
        expect(id).toMatch(/^conv-/);
        expect(id).not.toBe(resume);
        const body = JSON.stringify(generations()[0]?.body);
        expect(body).toContain('Start on bead gt-res');
        expect(body).not.toContain('This session was resumed');
      }
    });

    it('keeps a resumed conversation within the context window', async () => {
      const big = 'y'.repeat(4000);
      const tools = recordingGateway(() => ({ output: big }));
      const call = (n: number): ScriptedTurn => ({
        toolCalls: [{ name: 'run_command', input: { command: `cat part${n}.log` } }],
      });
      const first = await collect(start([call(1), call(2), call(3), { text: 'read three' }], { tools }));
      const id = idOf(first) ?? '';
      const second = await collect(
        start([call(4), call(5), { text: 'read them all' }], { tools, resume: id, contextTokens: 4000 }),
      );
      expect(second.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      expect(messages(second).some((m) => m.startsWith('context: shortened'))).toBe(true);
      const last = generations().at(-1)!;
      const results = toolResultsOf(last);
      expect(results).toHaveLength(5);
      expect(results[0]).toContain("trimmed to keep the conversation within the model's context");
      expect(results.at(-1)).toContain(big);
      expect(JSON.stringify(last.body)).toContain('Start on bead gt-res');
    });

    it('a stop between two calls of one turn keeps the turn, the skipped call answered as not run', async () => {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.stop('overseer pressed stop');
        return { output: 'first ran' };
      });
      box.session = start(
        [
          {
            toolCalls: [
              { name: 'run_command', input: { command: 'echo a' } },
              { name: 'run_command', input: { command: 'echo b' } },
            ],
          },
        ],
        { tools },
      );
      const events = await collect(box.session);
      expect(tools.calls.map((c) => c.command)).toEqual(['echo a']);
      expect(events.at(-1)).toMatchObject({ type: 'done', summary: 'stopped: overseer pressed stop' });
      const file = join(town, '.gt', 'agents', spec.name, `${idOf(events) ?? ''}.json`);
      const kept = JSON.parse(readFileSync(file, 'utf8')) as { messages: { role: string }[] };
      expect(kept.messages.at(-1)).toMatchObject({
        role: 'tool',
        results: [
          { output: expect.stringContaining('first ran') as unknown, isError: false },
          { output: 'not run: the session was stopped', isError: true },
        ],
      });
    });

    it('keeps nothing and announces no conversation without a town', async () => {
      server.requests.length = 0;
      server.push({ text: 'ok' });
      const events = await collect(
        spec.make().start({
          sessionId: 's',
          worktree: '/w',
          task: { beadId: 'gt-res', title: 'no town', steps: [] },
          tools: recordingGateway(),
          config: { baseUrl: spec.baseUrl(server.url) },
          env: {},
          resume: 'conv-0123',
        }),
      );
      expect(idOf(events)).toBeUndefined();
      expect(messages(events)).toContainEqual(
        expect.stringContaining('cannot resume conversation conv-0123'),
      );
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
    });
  });
}
