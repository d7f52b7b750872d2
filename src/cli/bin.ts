#!/usr/bin/env node
// The `gt` entry point: one top-level catch that renders any error and maps it to its exit code.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
