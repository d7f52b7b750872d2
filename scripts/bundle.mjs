// Bundles the `gt` CLI into dist/bin/: one entry plus lazily loaded chunks. Resolving and linking
// hundreds of small ESM files (zod, commander, yaml) costs more than the command itself, so the
// shipped bin is a bundle; better-sqlite3 stays external because it is a native addon.
// The dashboard's page script is bundled for the browser into dist/dashboard/app.js.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/bin', { recursive: true, force: true });
await build({
  // The ledger verifier's worker thread is found next to the chunk that starts it (verify-threads.ts).
  entryPoints: { gt: 'src/cli/bin.ts', 'verify-worker': 'src/ledger/verify-worker.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  external: ['better-sqlite3'],
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); give them one in ESM.
  banner: {
    js: "import { createRequire as __gtRequire } from 'node:module'; const require = __gtRequire(import.meta.url);",
  },
});

await build({
  entryPoints: { app: 'src/dashboard/web/main.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist/dashboard',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});

// The built-in formulas ship as files beside the code that reads them (src/formulas/library.ts).
rmSync('dist/formulas/builtin', { recursive: true, force: true });
cpSync('src/formulas/builtin', 'dist/formulas/builtin', { recursive: true });
