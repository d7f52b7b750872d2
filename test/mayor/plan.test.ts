// `gt mayor plan`: a plan file becomes beads, dependencies and a convoy in one transaction, under a
// `mayor.plan` span that `gt trace` shows above each bead; a bad plan names each problem with its
// line and creates nothing; a failure halfway rolls back everything, ledger included.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BeadStore } from '../../src/beads/index.js';
import { applyPlan, loadPlan } from '../../src/mayor/index.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

const goodPlan = (existing: string) => `# The login page, end to end.
convoy:
  title: Login page
  description: A login form backed by the session endpoint.
beads:
  - key: form
    title: Login form
    rig: web
    depends_on: [session]
    steps:
      - echo form > form.html
  - key: session
    title: Session endpoint
    rig: web
    type: feature
    priority: 1
    labels: [auth, backend]
    depends_on: [${existing}]
    steps: ["echo session > session.txt"]
    context_rigs: [web]
`;

interface Created {
  seq: number;
  span: string;
  beads: { key: string; id: string; rig: string }[];
  convoy: { id: string; name: string; state: string };
}

async function plan(town: RigTown, text: string, ...flags: string[]) {
  const file = join(town.scratch, 'plan.yaml');
  await writeFile(file, text);
  return town.gt('--json', 'mayor', 'plan', file, ...flags);
}

describe('gt mayor plan', () => {
  it('creates the beads, their dependencies and the convoy, traced back to the plan', async () => {
    const town = await makeRigTown();
    const existing = await town.bead('Existing schema', ['echo schema > schema.sql']);
    const result = await plan(town, goodPlan(existing), '--launch');
    expect(result.stderr).toBe('');
    const created = JSON.parse(result.stdout) as Created;
    const ids = Object.fromEntries(created.beads.map((b) => [b.key, b.id]));
    expect(ids.form).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    expect(created.convoy).toMatchObject({ name: 'Login page', state: 'launched' });

    const services = openTownServices(town.root, { env: process.env });
    try {
      const form = await services.beads.require(ids.form!);
      const session = await services.beads.require(ids.session!);
      expect(form.dependencies.map((d) => [d.depends_on_id, d.type])).toEqual([[ids.session, 'blocks']]);
      expect(session.dependencies.map((d) => d.depends_on_id)).toEqual([existing]);
      expect(session).toMatchObject({ priority: 1, issue_type: 'feature', created_by: 'mayor' });
      expect(session.labels).toEqual(['auth', 'backend']);
      expect(session.extra.metadata).toEqual({
        gastown: { steps: ['echo session > session.txt'], context_rigs: ['web'] },
      });
      const members = services.db
        .prepare('SELECT bead_id FROM convoy_beads WHERE convoy_id = ? ORDER BY rowid')
        .pluck()
        .all(created.convoy.id);
      expect(members).toEqual([ids.form, ids.session]);
      const children = services.db
        .prepare(`SELECT kind FROM ledger WHERE parent_span_id = ? ORDER BY seq`)
        .pluck()
        .all(created.span) as string[];
      expect(children).toEqual(
        expect.arrayContaining(['bead.created', 'convoy.created', 'convoy.bead_added', 'convoy.launched']),
      );
    } finally {
      services.close();
    }

    const trace = await town.ok('trace', ids.form!);
    const lines = trace.split('\n');
    const planLine = lines.findIndex((l) => l.includes('mayor: plan (') && l.includes('convoy "Login page"'));
    const createdLine = lines.findIndex((l) => l.includes(`created ${ids.form} "Login form"`));
    expect(planLine).toBeGreaterThan(0);
    expect(createdLine).toBeGreaterThan(planLine);
    expect(lines[createdLine]).toMatch(/^\s+│\s+├─/); // nested under the plan
    expect(await town.ok('audit', 'verify')).toContain('Ledger intact');
  });

  it('names every problem with its line and field, and creates nothing', async () => {
    const town = await makeRigTown();
    const bad = `convoy:
  title: Broken
  colour: red
beads:
  - key: a
    title: First
    rig: web
    depends_on: [c]
  - key: b
    title: Second
    rig: api
    depends_on: [nope-zzz]
  - key: a
    title: Third again
    rig: web
  - key: c
    rig: web
    priority: 7
`;
    const result = await plan(town, bad);
    expect(result.exitCode).not.toBe(0);
    const message = (JSON.parse(result.stderr) as { error: string }).error;
    expect(message).toContain('nothing was created');
    expect(message).toContain('plan.yaml:3: convoy.colour: unknown field (fields: title, description)');
    expect(message).toContain('plan.yaml:16: beads[3].title: is required');
    expect(message).toContain('plan.yaml:18: beads[3].priority: must be 0-4');

    const semantic = `beads:
  - key: a
    title: First
    rig: web
    depends_on: [c]
  - key: b
    title: Second
    rig: api
    depends_on: [nope-zzz]
  - key: a
    title: Third again
    rig: web
  - key: c
    title: Fourth
    rig: web
    depends_on: [a]
`;
    const second = await town.gt('mayor', 'plan', await writePlan(town, semantic));
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('plan.yaml has 4 problems; nothing was created:\n');
    expect(second.stderr.indexOf(':5: beads[0]')).toBeLessThan(second.stderr.indexOf(':8: beads[1]'));
    expect(second.stderr).toContain('plan.yaml:10: beads[2].key: "a" is already the key of beads[0]');
    expect(second.stderr).toContain('plan.yaml:8: beads[1].rig: no rig named "api" in this town (rigs: web)');
    expect(second.stderr).toContain(
      'plan.yaml:9: beads[1].depends_on[0]: "nope-zzz" is neither a key of this plan nor an existing bead',
    );
    expect(second.stderr).toContain('beads[0].depends_on: dependency cycle: a → c → a');

    const syntax = await town.gt('mayor', 'plan', await writePlan(town, 'beads:\n  - key: [a\n'));
    expect(syntax.exitCode).toBe(2);
    expect(syntax.stderr).toMatch(/plan\.yaml:\d+: /);

    expect(JSON.parse(await town.ok('--json', 'bd', 'list', '--all'))).toEqual([]);
    expect(await town.ok('--json', 'feed', '-n', '0')).not.toContain('mayor.plan');
  });

  it('rolls back the beads and the plan event when creating fails halfway', async () => {
    const town = await makeRigTown();
    const existing = await town.bead('Existing schema', []);
    const services = openTownServices(town.root, { env: process.env });
    try {
      const checked = await loadPlan(services, goodPlan(existing), 'plan.yaml');
      const before = services.ledger.head().seq;
      let calls = 0;
      const failing: BeadStore = Object.create(services.beads) as BeadStore;
      failing.create = (input, ctx) =>
        ++calls === 2 ? Promise.reject(new Error('disk full')) : services.beads.create(input, ctx);
      await expect(
        applyPlan({ ...services, beads: failing }, checked, { source: 'plan.yaml' }),
      ).rejects.toThrow('disk full');
      expect(calls).toBe(2);
      expect(services.ledger.head().seq).toBe(before);
      expect((await services.beads.list({ all: true })).map((b) => b.id)).toEqual([existing]);
      expect(services.db.prepare('SELECT count(*) FROM convoys').pluck().get()).toBe(0);
    } finally {
      services.close();
    }
  });
});

async function writePlan(town: RigTown, text: string): Promise<string> {
  const file = join(town.scratch, 'plan.yaml');
  await writeFile(file, text);
  return file;
}
