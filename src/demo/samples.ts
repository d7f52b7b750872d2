// The demo's two sample repositories, generated on the spot: `calc`, a tiny JavaScript library with
// real tests (`node test.js`), and `site`, a page that shows calc's version and must have a title
// (`node check.js`). Both are plain git repositories that rigs are added from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../git/index.js';

const identity = [
  '-c',
  'user.name=Gas Town demo',
  '-c',
  'user.email=demo@gastown.invalid',
  '-c',
  'commit.gpgsign=false',
];

async function makeRepo(dir: string, files: Record<string, string>): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  await git(['init', '--quiet', '--initial-branch=main'], { cwd: dir });
  await git([...identity, 'add', '--all'], { cwd: dir });
  await git([...identity, 'commit', '--quiet', '-m', 'initial commit'], { cwd: dir });
  return dir;
}

export async function makeSampleRepos(parent: string): Promise<{ calc: string; site: string }> {
  const calc = await makeRepo(join(parent, 'calc'), {
    'package.json': '{ "name": "calc", "type": "module", "private": true }\n',
    'calc.js': "export const VERSION = '1.0';\nexport const add = (a, b) => a + b;\n",
    'test.js': [
      "import { readdirSync } from 'node:fs';",
      "for (const file of readdirSync(new URL('./tests', import.meta.url)).sort()) await import(`./tests/${file}`);",
      "console.log('calc: all tests pass');",
      '',
    ].join('\n'),
    'tests/add.js':
      "import assert from 'node:assert/strict';\nimport { add } from '../calc.js';\nassert.equal(add(2, 3), 5);\n",
  });
  const site = await makeRepo(join(parent, 'site'), {
    'package.json': '{ "name": "site", "type": "module", "private": true }\n',
    'page.html': '<title>Calc</title>\n<h1>Calc</h1>\n',
    'check.js': [
      "import { readFileSync } from 'node:fs';",
      "const page = readFileSync('page.html', 'utf8');",
      "if (!page.includes('<title>')) { console.error('page.html has no <title>'); process.exit(1); }",
      "console.log('site: page ok');",
      '',
    ].join('\n'),
  });
  return { calc, site };
}
