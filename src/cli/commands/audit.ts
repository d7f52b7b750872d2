// `gt audit`: verify the ledger (in the town or from an export), sign checkpoints, export, show
// one event with its blobs, and prove an event's inclusion under the latest checkpoint.
import type { Command } from 'commander';
import { createWriteStream, existsSync, readFileSync, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { ErrorCode, GasTownError, invalidInput, notFound } from '../../errors.js';
import type { VerifyReport } from '../../ledger/index.js';
import {
  createCheckpoint,
  eventHashes,
  exportLines,
  getBlob,
  getEvent,
  inclusionProof,
  isBlobRef,
  listCheckpoints,
  loadPublicKey,
  loadTownKey,
  parseExport,
  verifyDatabase,
  verifyInclusion,
  verifyLedger,
} from '../../ledger/index.js';
import type { CliIO } from '../io.js';
import { printJson, printLine } from '../io.js';
import { withTown } from '../town-context.js';
import { parseSeq } from './seq-arg.js';

export function registerAudit(program: Command, io: CliIO): void {
  const audit = program.command('audit').description('verify, checkpoint, export and explore the ledger');

  audit
    .command('verify')
    .description('recompute the hash chain, Merkle roots and signatures; exit 1 naming the first bad seq')
    .option('--file <export>', 'verify a ledger export instead of the town (needs no town)')
    .option('--pubkey <pem-file>', 'the public key to trust (default: the town key, or the export header)')
    .action(async (opts: { file?: string; pubkey?: string }, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      const trusted =
        opts.pubkey === undefined ? undefined : loadPublicKey(readText(opts.pubkey, '--pubkey'), opts.pubkey);
      const report = opts.file
        ? verifyExportFile(opts.file, trusted)
        : await withTown(command, io, (ctx) =>
            Promise.resolve(verifyDatabase(ctx.db, trusted ?? loadTownKey(ctx.paths.keys).publicKey)),
          );
      renderReport(io, report, json);
      if (!report.ok) {
        throw new GasTownError(
          ErrorCode.ledgerTampered,
          `ledger verification failed: ${report.problem?.message ?? ''}`,
          {
            shown: true,
          },
        );
      }
    });

  audit
    .command('checkpoint')
    .description('sign the current head of the ledger with the town key')
    .action((_opts: unknown, command: Command) =>
      withTown(command, io, (ctx) => {
        const cp = createCheckpoint(ctx.ledger, loadTownKey(ctx.paths.keys), ctx.actor);
        if (ctx.json) printJson(io, cp);
        else
          printLine(
            io,
            `Checkpoint signed: ${cp.size} events, root ${cp.merkle_root.slice(0, 16)}…, key ${cp.key_id}`,
          );
        return Promise.resolve();
      }),
    );

  audit
    .command('export')
    .description('write the ledger, its blobs, checkpoints and public key as JSONL')
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .action((opts: { output?: string }, command: Command) =>
      withTown(command, io, async (ctx) => {
        const lines = exportLines(ctx.db, loadTownKey(ctx.paths.keys).publicPem);
        if (opts.output === undefined) {
          for (const line of lines) io.stdout(line);
          return;
        }
        const temp = `${opts.output}.tmp-${process.pid}`;
        const out = createWriteStream(temp);
        for (const line of lines)
          if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        out.end();
        await finished(out);
        renameSync(temp, opts.output);
        if (!ctx.json) printLine(io, `Exported the ledger to ${opts.output}`);
      }),
    );

  audit
    .command('show <seq>')
    .description('print one event with the blobs it references')
    .action((seqText: string, _opts: unknown, command: Command) =>
      withTown(command, io, (ctx) => {
        const seq = parseSeq(seqText, 'seq');
        const event = getEvent(ctx.db, seq);
        if (!event) throw notFound('ledger event', String(seq));
        const blobs: Record<string, string> = {};
        const collect = (value: unknown): void => {
          if (isBlobRef(value))
            blobs[value.$blob] = getBlob(ctx.db, value.$blob)?.toString('utf8') ?? '(missing)';
          else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
        };
        collect(event.payload);
        if (ctx.json) printJson(io, { ...event, blobs });
        else {
          printJson(io, event);
          for (const [hash, content] of Object.entries(blobs)) printLine(io, `--- blob ${hash}\n${content}`);
        }
        return Promise.resolve();
      }),
    );

  audit
    .command('prove <seq>')
    .description('print an inclusion proof of an event under the latest signed checkpoint')
    .action((seqText: string, _opts: unknown, command: Command) =>
      withTown(command, io, (ctx) => {
        const seq = parseSeq(seqText, 'seq');
        const checkpoint = listCheckpoints(ctx.db).at(-1);
        if (!checkpoint) throw invalidInput('no checkpoint yet; run `gt audit checkpoint` first');
        if (seq > checkpoint.size) {
          throw invalidInput(
            `seq ${seq} is after the latest checkpoint (size ${checkpoint.size}); run \`gt audit checkpoint\``,
          );
        }
        const event = getEvent(ctx.db, seq);
        if (!event) throw notFound('ledger event', String(seq));
        const proof = inclusionProof(eventHashes(ctx.db, checkpoint.size), seq - 1);
        const valid = verifyInclusion(event.hash, seq - 1, checkpoint.size, proof, checkpoint.merkle_root);
        const result = { seq, leaf_index: seq - 1, event_hash: event.hash, checkpoint, proof, valid };
        if (ctx.json) printJson(io, result);
        else {
          printLine(
            io,
            `Event ${seq} (${event.hash}) is ${valid ? '' : 'NOT '}included in the checkpoint of size ${checkpoint.size}`,
          );
          printLine(
            io,
            `root ${checkpoint.merkle_root}, signed ${checkpoint.time} with key ${checkpoint.key_id}`,
          );
          proof.forEach((hash, n) => printLine(io, `  path[${n}] ${hash}`));
        }
        return Promise.resolve();
      }),
    );
}

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw invalidInput(`${what}: no such file ${file}`);
  return readFileSync(file, 'utf8');
}

function verifyExportFile(file: string, trusted: ReturnType<typeof loadPublicKey> | undefined): VerifyReport {
  const parsed = parseExport(readText(file, '--file'), file);
  const key =
    trusted ??
    (parsed.publicKeyPem === undefined ? undefined : loadPublicKey(parsed.publicKeyPem, `${file} header`));
  const blobs = new Set(parsed.blobs.map((b) => b.hash));
  return verifyLedger({ ...parsed, ...(key ? { publicKey: key } : {}), hasBlob: (hash) => blobs.has(hash) });
}

function renderReport(io: CliIO, report: VerifyReport, json: boolean): void {
  if (json) return printJson(io, report);
  if (report.ok) {
    printLine(
      io,
      `Ledger intact: ${report.events} events, ${report.checkpoints} checkpoints, head ${report.head_hash.slice(0, 16)}…`,
    );
  } else {
    const where = report.problem?.seq === undefined ? '' : ` at seq ${report.problem.seq}`;
    printLine(
      io,
      `Ledger TAMPERED${where} (${report.problem?.kind ?? 'unknown'}): ${report.problem?.message ?? ''}`,
    );
  }
}
