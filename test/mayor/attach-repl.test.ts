// `gt mayor attach` without Claude Code: a line-based session over the model loop, driven through
// stdin. The conversation carries over from one line to the next, and each line is a request of
// its own in the ledger, so the bead made for the second line traces back to that line.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { gtBin } from '../support/cli.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';
import { assistantTurns, lastResults, pointTownAt, userTexts } from './scripted-mayor.js';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

function turn(req: RecordedRequest): ScriptedTurn {
  switch (assistantTurns(req)) {
    case 0:
      return { toolCalls: [{ name: 'list_rigs', input: {} }] };
    case 1: {
      const rigs = lastResults(req)[0] as unknown as { name: string }[];
      return { text: `There is one rig: ${rigs.map((r) => r.name).join(', ')}.` };
    }
    case 2:
      return {
        toolCalls: [
          { name: 'create_bead', input: { title: 'Bump the version', rig: 'web', steps: ['echo 2 > V'] } },
        ],
      };
    default:
      return { text: `Created ${String(lastResults(req)[0]?.id)}.` };
  }
}

describe('gt mayor attach (line-based)', () => {
  it('keeps the conversation across lines and records each line as a request', async () => {
    const town = await makeRigTown();
    server = await startModelServer({ answer: turn });
    await pointTownAt(town.root, server.url);
    const session = await execa('node', [gtBin, '--town', town.root, 'mayor', 'attach'], {
      input: 'Which rigs are there?\n\nBump the version of web\n/exit\nnever read\n',
      env: { MAYOR_TEST_KEY: 'sk-test-key-abcdef', GT_TOWN: '' },
      reject: false,
    });
    expect(session.stderr).toBe('');
    expect(session.exitCode).toBe(0);
    const lines = session.stdout.split('\n');
    expect(lines[0]).toContain('The Mayor of testtown (anthropic) is listening');
    expect(lines).toContain('There is one rig: web.');
    const created = lines.find((l) => l.startsWith('Created '))!;
    const beadId = created.slice('Created '.length, -1);

    const generations = server.requests.filter((r) => r.api === 'anthropic');
    expect(generations).toHaveLength(4);
    expect(userTexts(generations[2]!)).toEqual(['Which rigs are there?', 'Bump the version of web']);

    const requests = (await town.ok('--json', 'feed', '-n', '0'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; payload: { request?: string } })
      .filter((e) => e.kind === 'mayor.request')
      .map((e) => e.payload.request);
    expect(requests).toEqual(['Which rigs are there?', 'Bump the version of web']);
    const trace = await town.ok('trace', beadId);
    expect(trace).toContain('overseer: asks the Mayor: "Bump the version of web"');
    expect(trace).not.toContain('Which rigs are there?');
  });
});
