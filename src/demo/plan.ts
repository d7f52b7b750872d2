// The demo's convoy: eight script beads across the two sample rigs, with dependencies, chosen to
// show what the town does — a pair of beads that conflict (the second is reworked and starts over
// from the new main), a step the policy asks about, a bead whose first attempt fails the site's
// check and is reworked, and a bead that reads the other rig read-only.
import type { NewBead } from '../beads/index.js';
import { gastownExtra } from '../roles/polecat/bead-steps.js';

export interface DemoBead {
  key: string;
  rig: 'calc' | 'site';
  title: string;
  steps: string[];
  after?: string[];
  contextRigs?: string[];
  why: string;
}

const test = (name: string, call: string, want: string) =>
  `printf '%s\\n' "import assert from 'node:assert/strict';" "import { ${name} } from '../calc.js';" "assert.equal(${call}, ${want});" > tests/${name}.js`;

export const demoBeads: DemoBead[] = [
  {
    key: 'mul',
    rig: 'calc',
    title: 'Add multiply to calc',
    steps: [
      'echo "export const mul = (a, b) => a * b;" >> calc.js',
      test('mul', 'mul(3, 4)', '12'),
      'node test.js',
    ],
    why: 'a plain feature, tested',
  },
  {
    key: 'div',
    rig: 'calc',
    title: 'Add divide to calc',
    steps: [
      'echo "export const div = (a, b) => a / b;" >> calc.js',
      test('div', 'div(12, 4)', '3'),
      'node test.js',
    ],
    after: ['mul'],
    why: 'waits for multiply (blocks)',
  },
  {
    key: 'v11',
    rig: 'calc',
    title: 'Release calc 1.1',
    steps: [`sed -i "s/^export const VERSION = .*/export const VERSION = '1.1';/" calc.js`],
    why: 'edits the VERSION line',
  },
  {
    key: 'v20',
    rig: 'calc',
    title: 'Release calc 2.0',
    steps: [`sed -i "s/^export const VERSION = .*/export const VERSION = '2.0';/" calc.js`],
    why: 'edits the same line: conflicts at merge, reworked, replayed on the new main',
  },
  {
    key: 'version',
    rig: 'site',
    title: 'Show calc version on the site',
    steps: [`grep -o "VERSION = '[^']*'" ../.context/calc/calc.js > version.txt`],
    after: ['v11', 'v20'],
    contextRigs: ['calc'],
    why: 'reads the calc rig read-only',
  },
  {
    key: 'page',
    rig: 'site',
    title: 'Rewrite the site page',
    steps: [
      // The first attempt forgets the <title>; the Witness's check sends it back; the second does it right.
      "if [ -f .draft ]; then printf '<title>Calc</title>\\n<h1>Calc, the calculator</h1>\\n' > page.html; else touch .draft; printf '<h1>Calc, the calculator</h1>\\n' > page.html; fi",
    ],
    why: 'fails the check first, reworked',
  },
  {
    key: 'analytics',
    rig: 'site',
    title: 'Add the analytics snippet',
    steps: ['curl --version > /dev/null 2>&1 || true', 'echo "<!-- analytics -->" > analytics.html'],
    why: 'its curl step is asked about; the demo approves it',
  },
  {
    key: 'readme',
    rig: 'site',
    title: 'Document the site',
    steps: ['printf "# site\\n\\nThe calc page, built by Gas Town polecats.\\n" > README.md'],
    after: ['page'],
    why: 'waits for the page',
  },
];

export function demoBeadInput(bead: DemoBead, prefix: string, ids: Map<string, string>): NewBead {
  const input: NewBead = {
    prefix,
    title: bead.title,
    description: bead.why,
    extra: gastownExtra(bead.steps, bead.contextRigs ?? []),
  };
  const deps = (bead.after ?? []).map((key) => ({ type: 'blocks', depends_on_id: ids.get(key)! }));
  if (deps.length > 0) input.dependencies = deps;
  return input;
}
