// Molecules through the gt binary: a formula poured into an epic with one child bead per step
// (containers, blocks edges, human steps, gates, timers, metadata), a wisp kept out of the export
// and collected, squash and burn leaving the store but not the ledger, and protos cooked, persisted
// and poured later.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bead } from '../../src/beads/index.js';
import { queryEvents } from '../../src/ledger/index.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

const fixtures = join(import.meta.dirname, 'fixtures');

interface Poured {
  root: Bead;
  steps: { step: string; bead: string; kind: string }[];
}

async function townWithFormulas(): Promise<RigTown> {
  const town = await makeRigTown();
  mkdirSync(join(town.root, 'formulas'));
  cpSync(fixtures, join(town.root, 'formulas'), { recursive: true });
  return town;
}

const json = async <T>(town: RigTown, ...args: string[]): Promise<T> =>
  JSON.parse(await town.ok('--json', ...args)) as T;

function withServices<T>(town: RigTown, fn: (s: ReturnType<typeof openTownServices>) => T): T {
  const services = openTownServices(town.root, { env: process.env });
  try {
    return fn(services);
  } finally {
    services.close();
  }
}

describe('molecules', () => {
  it('pours a formula into an epic with one bead per step, wired by needs', async () => {
    const town = await townWithFormulas();
    const refused = await town.gt('bd', 'mol', 'pour', 'ship-feature', '--rig', 'web');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('give a value for --var component=…');
    expect(await json<unknown[]>(town, 'bd', 'list', '--all')).toEqual([]);

    const poured = await json<Poured>(
      town,
      'bd',
      'mol',
      'pour',
      'ship-feature',
      '--rig',
      'web',
      '--var',
      'component=parser',
    );
    const root = poured.root;
    expect(root.issue_type).toBe('epic');
    expect([...root.labels].sort()).toEqual(['formula:ship-feature', 'molecule']);
    expect(root.id).toMatch(/^we-/);
    const bead = async (step: string): Promise<Bead> => {
      const id = poured.steps.find((s) => s.step === step)!.bead;
      return (await json<Bead[]>(town, 'bd', 'show', id))[0]!;
    };
    const design = await bead('design');
    expect(design.id).toBe(`${root.id}.1`);
    expect(design).toMatchObject({
      title: 'Design parser',
      priority: 1,
      notes: 'Owner: mayor',
      acceptance_criteria: 'A design note exists',
      metadata: {
        estimate: 'small',
        ticket: 'GT-1',
        gastown: {
          steps: ['mkdir -p docs', "echo 'design parser' > docs/design.md"],
          agent: 'script',
          assignee: 'mayor',
          formula_step: { formula: 'ship-feature', id: 'design', kind: 'step', molecule: root.id },
          formula_extra: { waits_for: 'all-children' },
        },
      },
    });
    expect(design.labels).toEqual(
      expect.arrayContaining(['design', 'careful', 'formula:ship-feature', 'step:design']),
    );
    expect(design.assignee).toBeUndefined();
    const deps = (b: Bead) => b.dependencies.map((d) => [d.type, d.depends_on_id]);
    const implement = await bead('implement');
    expect(implement.issue_type).toBe('epic');
    expect(deps(implement)).toEqual(
      expect.arrayContaining([
        ['parent-child', root.id],
        ['blocks', design.id],
      ]),
    );
    const code = await bead('code');
    expect(code.id).toBe(`${implement.id}.1`);
    expect(deps(await bead('docs'))).toEqual(
      expect.arrayContaining([
        ['parent-child', implement.id],
        ['blocks', code.id],
      ]),
    );
    const review = await bead('review');
    expect(review).toMatchObject({ assignee: 'overseer' });
    expect(review.labels).toContain('overseer');
    expect((await bead('submit')).defer_until).toBeDefined();
    expect(await bead('announce.gate')).toMatchObject({ issue_type: 'gate', assignee: 'overseer' });
    // Ready: the first step only (containers' children wait on the container's needs).
    const ready = (await json<Bead[]>(town, 'bd', 'ready')).map((b) => b.id);
    expect(ready.filter((id) => id.startsWith(`${root.id}.`))).toEqual([design.id]);
    const show = await town.ok('bd', 'mol', 'show', code.id);
    expect(show).toContain(`${root.id} molecule of formula ship-feature: 0/10 steps closed`);
    expect(show).toContain('warning: step announce: gate type "gh:run" is not supported yet');
    withServices(town, (s) => {
      const event = queryEvents(s.db, { kind: 'molecule.poured' })[0]!;
      expect(event).toMatchObject({ bead_id: root.id, payload: { formula: 'ship-feature', wisp: false } });
    });
  });

  it('keeps a wisp out of the export and collects it when old', async () => {
    const town = await townWithFormulas();
    const kept = await json<Poured>(town, 'bd', 'mol', 'pour', 'child-flow');
    const wisp = await json<Poured & { wisp: boolean }>(town, 'bd', 'mol', 'wisp', 'base-flow');
    expect(wisp.wisp).toBe(true);
    const wispIds = [wisp.root.id, ...wisp.steps.map((s) => s.bead)];
    const shown = (await json<Bead[]>(town, 'bd', 'show', ...wispIds)) as (Bead & { ephemeral?: boolean })[];
    expect(shown.map((b) => b.ephemeral)).toEqual([true, true, true]);
    const exported = (await town.ok('bd', 'export'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(exported).toEqual([kept.root.id, ...kept.steps.map((s) => s.bead)].sort());
    expect(exported.some((id) => wispIds.includes(id))).toBe(false);
    expect(await town.ok('bd', 'mol', 'list')).toContain(`${wisp.root.id}  wisp  0/2  base-flow`);

    expect(await json<{ collected: string[] }>(town, 'bd', 'mol', 'wisp', 'gc')).toEqual({ collected: [] });
    expect((await town.gt('bd', 'mol', 'wisp', 'gc', '--age', 'soon')).stderr).toContain('is not a duration');
    expect(await json<{ collected: string[] }>(town, 'bd', 'mol', 'wisp', 'gc', '--age', '0s')).toEqual({
      collected: [wisp.root.id],
    });
    expect(await json<unknown[]>(town, 'bd', 'show', kept.root.id)).toHaveLength(1);
    expect((await town.gt('bd', 'show', wisp.root.id)).exitCode).toBe(3);
    withServices(town, (s) => {
      const deleted = queryEvents(s.db, { kind: 'bead.deleted' }).map((e) => e.bead_id);
      expect(deleted.sort()).toEqual([...wispIds].sort());
      expect(queryEvents(s.db, { kind: 'molecule.burned' })[0]).toMatchObject({
        bead_id: wisp.root.id,
        payload: { wisp: true },
      });
    });
  });

  it('squashes a finished molecule into a digest, and the ledger keeps its steps', async () => {
    const town = await townWithFormulas();
    const poured = await json<Poured>(
      town,
      'bd',
      'mol',
      'pour',
      'base-flow',
      '--rig',
      'web',
      '--var',
      'area=api',
    );
    const root = poured.root.id;
    const early = await town.gt('bd', 'mol', 'squash', root);
    expect(early.exitCode).toBe(4);
    expect(early.stderr).toContain(`molecule ${root} is not finished`);
    for (const s of poured.steps) await town.ok('bd', 'close', s.bead, '--reason', `did ${s.step}`);
    expect(
      await json<{ finished: boolean; done: number }>(town, 'bd', 'mol', 'progress', root),
    ).toMatchObject({ finished: true, done: 2 });
    const squashed = await json<{ digest: Bead; removed: string[] }>(town, 'bd', 'mol', 'squash', root);
    expect(squashed.removed.sort()).toEqual([root, ...poured.steps.map((s) => s.bead)].sort());
    expect(squashed.digest.status).toBe('closed');
    expect([...squashed.digest.labels].sort()).toEqual(['digest', 'formula:base-flow']);
    expect(squashed.digest.description).toContain('- prepare: Prepare api — did prepare');
    expect(squashed.digest.id).toMatch(/^we-/);
    const ids = (await json<Bead[]>(town, 'bd', 'list', '--all')).map((b) => b.id);
    expect(ids).toEqual([squashed.digest.id]);
    const gone = await town.ok('bd', 'mol', 'show', root);
    expect(gone).toContain(`${root} is no longer in the store: squashed into digest ${squashed.digest.id}`);
    withServices(town, (s) => {
      const last = queryEvents(s.db, { kind: 'bead.deleted', beadId: poured.steps[0]!.bead })[0]!;
      expect(last.payload).toMatchObject({
        bead: { title: 'Prepare api', status: 'closed', close_reason: 'did prepare' },
      });
      expect(queryEvents(s.db, { kind: 'molecule.squashed' })[0]!.payload).toMatchObject({
        digest: squashed.digest.id,
        formula: 'base-flow',
      });
    });
  });

  it('burns a molecule: its beads leave the store, dependents elsewhere are freed, the ledger remembers', async () => {
    const town = await townWithFormulas();
    const poured = await json<Poured>(town, 'bd', 'mol', 'pour', 'base-flow');
    const outside = await json<Bead>(
      town,
      'bd',
      'create',
      'Waits on prepare',
      '--deps',
      poured.steps[0]!.bead,
    );
    expect((await json<Bead[]>(town, 'bd', 'ready')).map((b) => b.id)).not.toContain(outside.id);
    const burned = await json<{ removed: string[] }>(town, 'bd', 'mol', 'burn', poured.steps[1]!.bead);
    expect(burned.removed).toHaveLength(3);
    expect((await json<Bead[]>(town, 'bd', 'ready')).map((b) => b.id)).toEqual([outside.id]);
    expect(await town.ok('bd', 'mol', 'show', poured.root.id)).toContain(
      'is no longer in the store: burned at',
    );
    expect((await town.gt('bd', 'mol', 'show', 'hq-zzzz')).stderr).toContain('no bead or molecule hq-zzzz');
  });

  it('cooks a proto without vars, persists it, and pours it later with them', async () => {
    const town = await townWithFormulas();
    const cooked = await json<{ unfilled: string[]; steps: { title: string }[] }>(
      town,
      'bd',
      'cook',
      'ship-feature',
    );
    expect(cooked.unfilled).toEqual(['component']);
    expect(cooked.steps[0]!.title).toBe('Design {{component}}');
    const kept = await json<{ id: string }>(
      town,
      'bd',
      'cook',
      'ship-feature',
      '--persist',
      '--var',
      'mode=fast',
    );
    const template = (await json<Bead[]>(town, 'bd', 'show', kept.id))[0]!;
    expect([...template.labels].sort()).toEqual(['formula:ship-feature', 'template']);
    const poured = await json<Poured>(town, 'bd', 'mol', 'pour', kept.id, '--var', 'component=lexer');
    expect(poured.root.title).toBe('ship-feature: Ship lexer from design to submit');
    // mode=fast came from the persisted proto: the benchmark step's condition dropped it.
    expect(poured.steps.map((s) => s.step)).not.toContain('benchmark');
    const design = (await json<Bead[]>(town, 'bd', 'show', poured.steps[0]!.bead))[0]!;
    expect(design.labels).toContain('fast');
  });

  it('pours an until loop once and says so in show, at pouring and in the bead, never silently', async () => {
    const town = await townWithFormulas();
    const shown = await town.ok('formula', 'show', 'retry-until');
    const warning =
      'loop attempt: until "step.status == \'complete\'" is not evaluated here: its body is poured once, not repeated up to max 3';
    expect(shown).toContain(warning);
    const poured = await town.ok('bd', 'mol', 'pour', 'retry-until', '--rig', 'web');
    expect(poured).toContain(`warning: ${warning}`);
    const first = /^\s+(\S+)\s+attempt\.iter1\.try\s+step$/m.exec(poured)?.[1];
    expect(first).toBeDefined();
    const [bead] = await json<{ title: string; labels: string[]; metadata: unknown }[]>(
      town,
      'bd',
      'show',
      first!,
    );
    expect(bead!.title).toBe('Try once');
    expect(bead!.labels).toContain('loop:until');
    expect(bead!.metadata).toMatchObject({
      loop: { step: 'attempt', until: "step.status == 'complete'", max: 3 },
    });
    // The ledger keeps the warning with the molecule.
    const recorded = withServices(town, (s) => queryEvents(s.db, { kind: 'molecule.poured' }));
    expect(JSON.stringify(recorded[0]!.payload)).toContain('is not evaluated here');
  });
});
