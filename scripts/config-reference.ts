// `npm run docs:config`: writes docs/reference/config.md from the zod schemas (see
// src/town/config-reference.ts). test/town/config-reference.test.ts fails when the page is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configReferencePath, renderConfigReference } from '../src/town/config-reference.js';

const target = fileURLToPath(new URL(`../${configReferencePath}`, import.meta.url));
writeFileSync(target, renderConfigReference());
process.stdout.write(`wrote ${configReferencePath}\n`);
