// `gt demo`: the main job on the embedded `script` agent. Makes a town with two generated rigs,
// files the demo convoy, runs the daemon (Witness, Refinery, Deacon, dispatcher) until the convoy
// lands — answering the policy's asks itself, and saying so — then prints what happened and leaves
// the town for exploring.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import { loadTownKey, verifyDatabase } from '../ledger/index.js';
import { decideApproval, listApprovals } from '../roles/gateway/approvals.js';
import { createConvoy } from '../roles/convoy/convoy.js';
import { markConvoyLaunched } from '../roles/convoy/convoy-dispatch.js';
import { openBlockedEscalations } from '../roles/deacon/blocked-escalations.js';
import { assertWorkCanRun } from '../roles/polecat/work-blockers.js';
import { convoyProgress, landConvoyIfDone } from '../roles/convoy/convoy-progress.js';
import { runDaemon } from '../daemon/run.js';
import { memoryLogger } from '../daemon/logger.js';
import { addRig, getRig, installTown } from '../town/index.js';
import { openTownServices, type TownServices } from '../town/services.js';
import { demoBeadInput, demoBeads } from './plan.js';
import { makeSampleRepos } from './samples.js';
import { demoSummary, type DemoSummary } from './summary.js';

export interface DemoOptions {
  dir?: string;
  env: Record<string, string | undefined>;
  print: (line: string) => void;
  /** How often the daemon's loops tick (default 300 ms). */
  tickMs?: number;
  timeoutMs?: number;
}

const demoPolicy = `# The demo's policy: the built-in profile, a generous approval window, a per-session time budget.
approvals:
  timeout_seconds: 300
budgets:
  session:
    wall_seconds: 120
`;

export async function runDemo(
  options: DemoOptions,
): Promise<DemoSummary & { root: string; convoy: string; traceExample: string }> {
  const { print } = options;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'gt-demo-')));
  const root = join(dir, 'town');
  if (existsSync(root))
    throw new GasTownError(ErrorCode.conflict, `${root} already exists; pick another --dir`);
  const started = Date.now();
  print(`Making a town at ${root}`);
  await installTown(root, { name: 'demo', actor: 'overseer' });
  writeFileSync(join(root, 'policy.yaml'), demoPolicy);
  const samples = await makeSampleRepos(join(dir, 'remotes'));
  const town = openTownServices(root, { env: options.env });
  try {
    const journal = (kind: 'rig.added' | 'rig.removed', payload: Record<string, unknown>) =>
      town.ledger.append({ kind, actor: 'overseer', payload });
    await addRig(root, town.db, {
      name: 'calc',
      url: samples.calc,
      check: 'node test.js',
      prefix: 'ca',
      journal,
    });
    await addRig(root, town.db, {
      name: 'site',
      url: samples.site,
      check: 'node check.js',
      prefix: 'si',
      journal,
    });
    print('Added rigs calc (check: node test.js) and site (check: node check.js)');
    // No silent stall: a machine that cannot run the beads (no bubblewrap, say) is told so now.
    await assertWorkCanRun({ root, rigs: ['calc', 'site'], env: options.env });
    const filed = await fileConvoy(town, print);
    const convoy = filed.id;
    markConvoyLaunched(town, convoy, 'mayor');
    print(`Launched convoy ${convoy}; the daemon takes it from here (Witness, Refinery, Deacon):`);
    let stop: () => void = () => undefined;
    const until = new Promise<void>((resolveStop) => (stop = resolveStop));
    const daemon = runDaemon({
      root,
      env: options.env,
      until,
      tickMs: options.tickMs ?? 300,
      logger: memoryLogger(),
    });
    const watched = await watch(town, convoy, print, started, options.timeoutMs ?? 10 * 60_000);
    const landed = watched.complete && (await landConvoyIfDone(town, convoy, 'mayor'));
    stop();
    await daemon;
    if (watched.blocked !== undefined)
      throw new GasTownError(ErrorCode.unavailable, `the town cannot run work: ${watched.blocked}`);
    const summary = demoSummary(town, Date.now() - started, landed);
    const report = verifyDatabase(town.db, loadTownKey(town.paths.keys).publicKey);
    summary.verified = report.ok;
    summary.events = report.events;
    // The bead with the most to tell: it conflicted at merge and was replayed on the new main.
    return { ...summary, root, convoy, traceExample: filed.beads.get('v20') ?? '' };
  } finally {
    town.close();
  }
}

async function fileConvoy(
  town: TownServices,
  print: (line: string) => void,
): Promise<{ id: string; beads: Map<string, string> }> {
  const ids = new Map<string, string>();
  for (const bead of demoBeads) {
    const prefix = getRig(town.db, bead.rig)!.prefix;
    const created = await town.beads.create(demoBeadInput(bead, prefix, ids), { actor: 'mayor' });
    ids.set(bead.key, created.id);
    print(`  ${created.id}  ${bead.rig.padEnd(4)}  ${bead.title}  (${bead.why})`);
  }
  const { convoy } = await createConvoy(
    town,
    { name: 'demo: calc 2.0 and its site', beads: [...ids.values()] },
    'mayor',
  );
  return { id: convoy.id, beads: ids };
}

async function watch(
  town: TownServices,
  convoy: string,
  print: (line: string) => void,
  started: number,
  timeoutMs: number,
): Promise<{ complete: boolean; blocked?: string }> {
  let last = '';
  const deadline = Date.now() + timeoutMs;
  let blockedSince: number | undefined;
  while (Date.now() < deadline) {
    for (const approval of listApprovals(town.db, 'pending')) {
      decideApproval(town.ledger, approval.id, 'approved', 'overseer', 'auto-approved by gt demo');
      print(
        `  · the policy asked about "${approval.part ?? approval.command ?? approval.path ?? ''}" (${approval.rule}); the demo approves it for you — in a real town: gt approve ${approval.id}`,
      );
    }
    const progress = await convoyProgress(town, convoy);
    const c = progress.counts;
    // What the daemon escalated as keeping work from running is on the line, not in a log.
    const blocked = openBlockedEscalations(town).map((e) => e.summary);
    const line =
      `${c.closed}/${progress.total} merged · ${c.working} working · ${c.review} in review · ${c.ready} ready · ${c.blocked} waiting` +
      blocked.map((summary) => ` · BLOCKED: ${summary}`).join('');
    if (line !== last) {
      print(`  [${String(Math.round((Date.now() - started) / 1000)).padStart(3)}s] ${line}`);
      last = line;
    }
    if (progress.complete) return { complete: true };
    blockedSince = blocked.length === 0 ? undefined : (blockedSince ?? Date.now());
    if (blockedSince !== undefined && Date.now() - blockedSince > blockedGiveUpMs)
      return { complete: false, blocked: blocked.join('; ') };
    await new Promise((resolveTick) => setTimeout(resolveTick, 250));
  }
  return { complete: false };
}

/** How long the demo waits on a blocked town (the cause may be fixed meanwhile) before it stops. */
const blockedGiveUpMs = 20_000;
