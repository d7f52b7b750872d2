// A failed tool call says why in `gt trace`, `gt feed` and the dashboard's trace view: a script
// polecat's step fails with an error on stderr in a real town (real sandbox, real git), and every
// surface shows that error, redacted, on the tool call's line.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, ensureToken } from '../../src/dashboard/index.js';
import type { TimelineRow } from '../../src/dashboard/queries/trace-timeline.js';
import { timelineRows } from '../../src/dashboard/web/views-trace.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

describe('a failed tool call in the trace', () => {
  it('shows its error text on the CLI and the dashboard', async () => {
    const town = await makeRigTown();
    const secret = `ghp_${'Z'.repeat(36)}`;
    const bead = await town.bead('Fail loudly', [
      `echo "fatal: could not read config.toml: permission denied (token ${secret})" >&2; exit 3`,
    ]);
    const slung = await town.gt('sling', bead, town.rig);
    expect(slung.exitCode).not.toBe(0);

    const trace = await town.ok('trace', bead);
    const line = trace.split('\n').find((l) => l.includes('error (exit 3)'));
    expect(line).toContain(
      'error (exit 3): fatal: could not read config.toml: permission denied (token [REDACTED:',
    );
    expect(trace).not.toContain(secret);
    expect(await town.ok('feed', '-n', '0')).toContain('tool.result');

    const services = openTownServices(town.root, { env: {} });
    const made = createApp({
      town: services,
      name: 't',
      token: ensureToken(services.paths.gtDir),
      pollMs: 50,
    });
    try {
      const token = ensureToken(services.paths.gtDir);
      const res = await made.app.request(`/api/trace/${bead}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const view = (await res.json()) as { timeline: { rows: TimelineRow[] } };
      const row = view.timeline.rows.find((r) => r.type === 'event' && r.kind === 'tool.result');
      expect(row?.type === 'event' ? row.summary : '').toMatch(
        /^error \(exit 3\): fatal: could not read config\.toml/,
      );
      const rendered = timelineRows([row!]).html;
      expect(rendered).toContain(
        '<span class="decision-deny">error (exit 3): fatal: could not read config.toml',
      );
      expect(rendered).not.toContain(secret);
    } finally {
      made.close();
      services.close();
    }
  });
});
