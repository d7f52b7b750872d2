// With `telemetry.otlp_endpoint` in town.yaml, a command that changes the town sends its ledger
// events to the collector as spans; with the collector down the command still succeeds.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { closedPort, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { makeTown } from '../support/town.js';

let receiver: OtlpReceiver | undefined;

async function setEndpoint(root: string, url: string): Promise<void> {
  const file = join(root, 'town.yaml');
  const text = await readFile(file, 'utf8');
  expect(text).toContain('telemetry: {}');
  await writeFile(file, text.replace('telemetry: {}', `telemetry:\n  otlp_endpoint: ${url}`));
}
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('telemetry from the CLI', () => {
  it('exports the events a command wrote as spans carrying the bead id', async () => {
    receiver = await startOtlpReceiver();
    const { root } = await makeTown();
    await setEndpoint(root, receiver.baseUrl);
    const created = await runGt(['--town', root, '--json', 'bd', 'create', 'Traced work']);
    expect(created.exitCode).toBe(0);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const spans = receiver.spans();
    const span = spans.find((s) => s.name === 'bead.created');
    expect(span?.attributes['gastown.bead.id']).toBe(id);
    expect(spans.map((s) => s.name)).toContain('town.installed');
    const read = await runGt(['--town', root, 'bd', 'list']);
    expect(read.exitCode).toBe(0);
    expect(receiver.spans()).toHaveLength(spans.length);
  });

  it('keeps working when the collector is down', async () => {
    const { root } = await makeTown();
    await setEndpoint(root, `http://127.0.0.1:${await closedPort()}`);
    const created = await runGt(['--town', root, 'bd', 'create', 'Still works']);
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toContain('telemetry export deferred');
    expect((await runGt(['--town', root, 'bd', 'list'])).stdout).toContain('Still works');
  });
});
