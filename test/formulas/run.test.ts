// `gt formula run` end to end with the `script` agent: the built-in feature workflow poured,
// slung step by step in `needs` order and merged to landing; the release checklist stopping at its
// human step until the Overseer closes it; a convoy formula with three legs in parallel and a
// synthesis that reads their merged outputs.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { convoyProgress } from '../../src/roles/convoy/convoy-progress.js';
import { commitFile, gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeFormulaTown } from './formula-town.js';

afterEach(removeTempDirs);

interface Run {
  molecule: { root: { id: string }; steps: { step: string; bead: string; kind: string }[] };
  convoy: { id: string; state: string };
}

interface Progress {
  total: number;
  done: number;
  finished: boolean;
  states: Record<string, number>;
}

describe('gt formula run', { timeout: 200_000 }, () => {
  it('pours the feature workflow and runs it to landing, one step after another', async () => {
    const town = await makeFormulaTown();
    try {
      const run = await town.json<Run>(
        'formula',
        'run',
        'feature',
        '--var',
        'feature=Dark mode',
        '--var',
        'slug=dark-mode',
        '--detach',
      );
      expect(run.molecule.steps.map((s) => s.step)).toEqual([
        'design',
        'implement',
        'review',
        'test',
        'submit',
      ]);
      expect(run.convoy.state).toBe('launched');
      const root = run.molecule.root.id;
      const shown = await town.ok('bd', 'mol', 'show', root);
      expect(shown).toContain(`${root} molecule of formula feature: 0/5 steps closed`);
      expect(shown).toContain('vars feature=Dark mode slug=dark-mode');
      await town.runUntil(
        async () => (await convoyProgress(town.services, run.convoy.id)).convoy.state === 'landed',
      );
      expect(await town.onMain('docs/features/dark-mode.md')).toBe(
        '# Dark mode\n\nDesign: the approach and how it is tested.\n\n## Review\nImplementation matches the design.\n\n## Submitted',
      );
      expect(await town.onMain('src/dark-mode.js')).toBe('export const feature = "dark-mode";');
      const progress = await town.json<Progress>('bd', 'mol', 'progress', root);
      expect(progress).toMatchObject({ total: 5, done: 5, finished: true });
      // Each step was slung only after the one it needs had merged.
      const merged = queryEvents(town.services.db, { kind: 'merge.merged' }).map((e) => e.bead_id);
      expect(merged).toEqual(run.molecule.steps.map((s) => s.bead));
      const design = run.molecule.steps[0]!.bead;
      expect(await town.ok('trace', design)).toContain(`step design of molecule ${root}: formula feature (`);
      expect(
        (await town.json<{ molecule: { vars: Record<string, string> } }>('trace', design)).molecule.vars,
      ).toEqual({
        feature: 'Dark mode',
        slug: 'dark-mode',
      });
      const ran = queryEvents(town.services.db, { kind: 'formula.run' });
      expect(ran[0]!.payload).toMatchObject({
        formula: 'feature',
        vars: { feature: 'Dark mode', slug: 'dark-mode' },
        convoy: run.convoy.id,
      });
    } finally {
      town.services.close();
    }
  });

  it('stops the release checklist at its human step until the Overseer closes it', async () => {
    const town = await makeFormulaTown();
    try {
      const refused = await town.gt('formula', 'run', 'release', '--var', 'version=v2');
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('--var version=v2: does not match');
      expect(await town.json<unknown[]>('bd', 'list')).toEqual([]);
      const run = await town.json<Run>('formula', 'run', 'release', '--var', 'version=2.0.0', '--detach');
      const publish = run.molecule.steps.find((s) => s.step === 'publish')!;
      expect(publish.kind).toBe('human');
      const root = run.molecule.root.id;
      await town.runUntil(
        async () => (await town.json<Progress>('bd', 'mol', 'progress', root)).states.overseer === 1,
      );
      const progress = await town.json<Progress>('bd', 'mol', 'progress', root);
      expect(progress).toMatchObject({ total: 4, done: 3, finished: false });
      expect(await town.onMain('VERSION')).toBe('2.0.0');
      const bead = await town.services.beads.require(publish.bead);
      expect(bead).toMatchObject({ status: 'open', assignee: 'overseer' });
      // Nothing slings it: a sling by hand is refused too.
      expect((await town.gt('sling', publish.bead, 'web')).stderr).toContain('waits for the Overseer');
      expect((await convoyProgress(town.services, run.convoy.id)).convoy.state).toBe('launched');
      const byAgent = await town.gt('--actor', 'web/polecats/nux', 'bd', 'close', publish.bead);
      expect(byAgent.exitCode).toBe(4);
      expect(byAgent.stderr).toContain('only the Overseer closes it');
      expect((await town.services.beads.require(publish.bead)).status).toBe('open');
      await town.ok('bd', 'close', publish.bead, '--reason', 'published 2.0.0');
      await town.runUntil(
        async () => (await convoyProgress(town.services, run.convoy.id)).convoy.state === 'landed',
      );
      expect((await town.json<Progress>('bd', 'mol', 'progress', root)).finished).toBe(true);
    } finally {
      town.services.close();
    }
  });

  it('runs a convoy formula: three legs in parallel, then a synthesis that sees their outputs', async () => {
    const town = await makeFormulaTown();
    try {
      const seed = await town.bead('Seed', ['mkdir -p src', "printf 'x = 1 # TODO: tidy\\n' > src/app.py"]);
      const seeded = await town.json<{ convoy: { id: string } }>('convoy', 'create', 'seed', seed);
      await town.ok('convoy', 'launch', seeded.convoy.id, '--once');
      await town.runUntil(
        async () => (await convoyProgress(town.services, seeded.convoy.id)).convoy.state === 'landed',
      );
      const run = await town.json<Run>(
        'formula',
        'run',
        'code-review',
        '--var',
        'files=src',
        '--var',
        'name=r1',
        '--detach',
      );
      expect(run.molecule.steps.map((s) => [s.step, s.kind])).toEqual([
        ['inventory', 'leg'],
        ['todos', 'leg'],
        ['size', 'leg'],
        ['synthesis', 'synthesis'],
      ]);
      const legs = run.molecule.steps.filter((s) => s.kind === 'leg');
      const leg = await town.services.beads.require(legs[1]!.bead);
      expect(leg.description).toContain('Your focus: TODO and FIXME markers left behind');
      expect(leg.description).toContain('Write your findings to .reviews/r1/todos.md');
      await town.runUntil(
        async () => (await convoyProgress(town.services, run.convoy.id)).convoy.state === 'landed',
      );
      // The legs ran side by side: each had started before any of them merged.
      const started = queryEvents(town.services.db, { kind: 'session.started' })
        .filter((e) => legs.some((l) => l.bead === e.bead_id))
        .map((e) => e.seq);
      const firstMerge = queryEvents(town.services.db, { kind: 'merge.merged' }).find((e) =>
        legs.some((l) => l.bead === e.bead_id),
      )!.seq;
      expect(started).toHaveLength(3);
      expect(Math.max(...started)).toBeLessThan(firstMerge);
      const summary = await town.onMain('.reviews/r1/summary.md');
      expect(summary).toContain('# Review summary');
      expect(summary).toContain('# Inventory');
      expect(summary).toContain('./src/app.py');
      expect(summary).toContain('src/app.py:1:x = 1 # TODO: tidy');
      expect(summary).toContain('# Size');
    } finally {
      town.services.close();
    }
  });

  it("gives the synthesis each leg's output file, or its final message when it left none", async () => {
    const town = await makeFormulaTown();
    try {
      mkdirSync(join(town.root, 'formulas'), { recursive: true });
      copyFileSync(
        join(import.meta.dirname, 'fixtures', 'leg-reports.formula.toml'),
        join(town.root, 'formulas', 'leg-reports.formula.toml'),
      );
      const run = await town.json<Run>('formula', 'run', 'leg-reports', '--detach');
      const bead = (step: string): string => run.molecule.steps.find((s) => s.step === step)!.bead;
      const before = await town.services.beads.require(bead('synthesis'));
      expect(before.description ?? '').not.toContain('What the legs reported');
      await town.runUntil(
        async () => (await convoyProgress(town.services, run.convoy.id)).convoy.state === 'landed',
      );
      expect(await town.onMain('reports/t/count.md')).toContain('# Count');
      expect(await town.onMain('stats/tally.txt')).toBe('tallied');
      const synthesis = await town.services.beads.require(bead('synthesis'));
      expect(synthesis.description).toContain(
        `## What the legs reported\n\n### count (${bead('count')})\n\nIts findings: reports/t/count.md`,
      );
      expect(synthesis.description).toContain(
        `### tally (${bead('tally')})\n\nNo output file; its final message:\n\n> all 2 step(s) succeeded`,
      );
      // Written as the synthesis's session began, before its first step ran; kept in the ledger.
      const updated = queryEvents(town.services.db, { kind: 'bead.updated', beadId: bead('synthesis') });
      const steps = queryEvents(town.services.db, { kind: 'tool.call', beadId: bead('synthesis') });
      expect(updated).toHaveLength(1);
      expect(steps.length).toBeGreaterThan(0);
      expect(updated[0]!.seq).toBeLessThan(steps[0]!.seq);
    } finally {
      town.services.close();
    }
  });

  it("runs a formula the user committed to the rig's .beads/formulas/, as the README shows", async () => {
    const town = await makeFormulaTown();
    try {
      mkdirSync(join(town.remote.work, '.beads', 'formulas'), { recursive: true });
      await commitFile(town.remote.work, '.beads/formulas/hello.formula.toml', helloFormula, 'a formula');
      await gitIn(town.remote.work, 'push', '--quiet', 'origin', 'main');
      // The rig is added from the repository that holds the formula: its target branch carries it.
      await town.ok('rig', 'add', 'site', town.remote.path, '--branch', 'main');
      expect(await town.ok('formula', 'list', '--rig', 'site')).toMatch(/hello\s+rig/);
      const run = await town.json<Run>(
        'formula',
        'run',
        'hello',
        '--var',
        'who=world',
        '--rig',
        'site',
        '--detach',
      );
      const bead = (step: string): string => run.molecule.steps.find((s) => s.step === step)!.bead;
      await town.runUntil(async () => (await town.services.beads.require(bead('sign'))).status === 'closed');
      expect(await town.ok('bd', 'mol', 'progress', run.molecule.root.id)).toContain('2/3 closed');
      await town.ok('bd', 'close', bead('approve'), '--reason', 'looks good');
      await town.runUntil(
        async () => (await convoyProgress(town.services, run.convoy.id)).convoy.state === 'landed',
      );
      expect(await gitIn(`${town.root}/site/repo.git`, 'show', 'main:hello.txt')).toBe('hello world\nsigned');
    } finally {
      town.services.close();
    }
  });
});

const helloFormula = `formula = "hello"
description = "Greet {{who}}, then sign"

[vars.who]
required = true
pattern = "^[a-z]+$"

[[steps]]
id = "greet"
title = "Greet {{who}}"
run = ["printf 'hello {{who}}\\n' > hello.txt"]

[[steps]]
id = "sign"
title = "Sign the greeting"
needs = ["greet"]
run = ["printf 'signed\\n' >> hello.txt"]

[[steps]]
id = "approve"
title = "Approve the greeting"
type = "human"
needs = ["sign"]
`;
