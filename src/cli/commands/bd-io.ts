// `gt bd export [-o file]` and `gt bd import <file>`: the classic `.beads/issues.jsonl`
// interchange. Export writes a file atomically (temp file, fsync, rename); import parses the whole
// file first (a bad line names its line number) and then imports in one transaction, so a bad
// file imports nothing.
import type { Command } from 'commander';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseJsonl, toJsonl } from '../../beads/jsonl.js';
import { ErrorCode, GasTownError, invalidInput } from '../../errors.js';
import type { CliIO, GlobalOptions } from '../io.js';
import { printJson, printLine } from '../io.js';
import { isPouredWisp } from '../../formulas/index.js';
import { withBeads } from './bd-context.js';

export function registerBdIo(bd: Command, io: CliIO): void {
  bd.command('export')
    .description('write every bead (tombstones too; never a wisp this town poured) as JSONL, sorted by id')
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .action((_options: unknown, command: Command) => {
      const { output } = command.optsWithGlobals<GlobalOptions & { output?: string }>();
      if (output !== undefined && output.trim() === '')
        throw invalidInput('--output: must name a file (got "")');
      return withBeads(command, io, async (ctx) => {
        // Wisps the town poured are never exported; imported ephemeral beads go back as they came.
        const beads = (await ctx.beads.exportAll()).filter((bead) => !isPouredWisp(bead));
        const text = toJsonl(beads);
        if (output === undefined) return io.stdout(text);
        const file = resolve(io.cwd, output);
        await writeAtomically(file, text);
        if (ctx.json) return printJson(io, { exported: beads.length, file });
        printLine(io, `Exported ${beads.length} beads to ${file}`);
      });
    });

  bd.command('import')
    .description('create or update beads from a JSONL file, all or nothing')
    .argument('<file>', 'a JSONL file such as .beads/issues.jsonl')
    .action((file: string, _options: unknown, command: Command) =>
      withBeads(command, io, async (ctx) => {
        const content = await readInput(resolve(io.cwd, file), file);
        const beads = parseJsonl(content, file);
        const result = await ctx.beads.importAll(beads, ctx.change);
        if (ctx.json) return printJson(io, result);
        printLine(
          io,
          `Imported: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`,
        );
      }),
    );
}

async function readInput(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') {
      throw new GasTownError(ErrorCode.notFound, `import: no such file: ${shown}`, { ids: { file: path } });
    }
    throw new GasTownError(ErrorCode.io, `import: cannot read ${shown}: ${(error as Error).message}`, {
      ids: { file: path },
      cause: error,
    });
  }
}

/** Readers of `file` see the old content or the new, never a half-written one. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new GasTownError(ErrorCode.io, `export: cannot write ${file}: ${(error as Error).message}`, {
      ids: { file },
      cause: error,
    });
  }
}
