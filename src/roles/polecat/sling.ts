// `gt sling`: hooks a bead on a polecat, gives the polecat a worktree on its own branch
// (`polecat/<name>/<bead>`, from the rig's target branch) and runs its session in the foreground.
// Everything that can be refused is checked before anything changes; a failure after the hook
// puts the bead back.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentRuntime } from '../../agents/index.js';
import { runtimeFor } from '../../agents/index.js';
import { ErrorCode, GasTownError, invalidInput, notFound } from '../../errors.js';
import { addBranchWorktree, addWorktree, branchExists } from '../../git/index.js';
import type { Policy } from '../../policy/index.js';
import { loadPolicy } from '../../policy/index.js';
import type { SandboxRunner } from '../../sandbox/index.js';
import { pickRunner } from '../../sandbox/index.js';
import { agentConfigOf, getRig, loadTownConfig, rigPaths } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import { agentOf, awaitsOverseer, contextRigsOf } from './bead-steps.js';
import { checkCapacity } from './capacity.js';
import { assertWorkCanRun } from './work-blockers.js';
import { prepareContextRigs } from './context-rigs.js';
import { refreshWorktree } from './worktree-refresh.js';
import { polecatBranch } from './work-tree-guard.js';
import { freePolecatName, polecatNamePattern } from './polecat-names.js';
import { absent } from '../transitions.js';
import type { PolecatRow } from './index.js';
import { getPolecat, movePolecat } from './index.js';
import type { SessionResult } from './polecat-session.js';
import { runPolecatSession } from './polecat-session.js';
import type { Continuation } from './handoff.js';
import { continueAfterHandoff, sessionPreamble } from './handoff.js';

export interface SlingRequest {
  town: TownServices;
  root: string;
  beadId: string;
  rig: string;
  agent?: string;
  polecat?: string;
  contextRigs?: string[];
  actor: string;
  home: string;
  approvalPollMs?: number;
  /** The caller's environment, passed on to the agent (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Told once the polecat is chosen and its worktree is ready, before the session runs. */
  onStart?: (info: { polecat: string; branch: string; worktree: string }) => void;
}

export interface SlingResult extends SessionResult {
  polecat: string;
  branch: string;
  worktree: string;
}

export async function sling(request: SlingRequest): Promise<SlingResult> {
  const { town, root } = request;
  const rig = getRig(town.db, request.rig);
  if (!rig) throw notFound('rig', request.rig);
  // Fail at once, naming what is missing and the fix, before anything changes: the bead stays ready.
  await assertWorkCanRun({
    root,
    rigs: [rig.name],
    ...(request.agent === undefined ? {} : { agent: request.agent }),
    env: request.env ?? process.env,
  });
  await checkCapacity(town, root, rig.name);
  const bead = await town.beads.require(request.beadId);
  if (bead.status !== 'open') {
    throw new GasTownError(
      ErrorCode.conflict,
      `bead ${bead.id} is ${bead.status}; only open beads can be slung`,
      { ids: { bead: bead.id } },
    );
  }
  if (awaitsOverseer(bead)) {
    throw new GasTownError(
      ErrorCode.conflict,
      `bead ${bead.id} waits for the Overseer (a human step or gate): close it with gt bd close`,
      { ids: { bead: bead.id } },
    );
  }
  const blocked = (await town.beads.blocked()).find((b) => b.bead.id === bead.id);
  if (blocked) {
    throw new GasTownError(
      ErrorCode.conflict,
      `bead ${bead.id} is blocked by ${blocked.blocked_by.join(', ')}`,
      { ids: { bead: bead.id } },
    );
  }
  const policy: Policy = loadPolicy(join(root, 'policy.yaml'));
  const runner = chooseRunner(policy);
  const townConfig = await loadTownConfig(root);
  const runtime: AgentRuntime = runtimeFor(request.agent ?? agentOf(bead) ?? townConfig.default_agent);
  const contextNames = [...contextRigsOf(bead), ...(request.contextRigs ?? [])];
  // Each context rig at its target's latest head, fetched now, before anything changes.
  let contextRigs = await prepareContextRigs(town, root, contextNames, rig.name);
  const polecat = choosePolecat(town, rig.name, request.polecat, bead.id);
  const paths = rigPaths(root, rig.name);
  const worktree = join(paths.polecats, polecat.name);
  const branch = polecatBranch(polecat.name, bead.id);
  const actor = `${rig.name}/polecats/${polecat.name}`;
  // Hold the name first, so a sling started next (a convoy starts them one after another) never
  // picks the same polecat, and a bead hooked on a polecat always has the polecat's row to say so
  // (the Deacon finds a stranded one from it). Of two slings choosing the same name, one holds it.
  const held = movePolecat(
    town.db,
    { rig: rig.name, name: polecat.name },
    { to: 'working', bead_id: bead.id, branch, worktree, session_id: null },
    { from: polecat.reuse ? ['stopped'] : [absent, 'idle'], recordedBy: 'bead.hooked' },
  );
  if (!held) {
    throw new GasTownError(
      ErrorCode.conflict,
      `polecat ${polecat.name} of ${rig.name} was taken by another sling`,
      {
        ids: { polecat: polecat.name, rig: rig.name },
        retryable: true,
      },
    );
  }
  const release = () =>
    movePolecat(
      town.db,
      { rig: rig.name, name: polecat.name },
      { to: polecat.reuse ? 'stopped' : 'idle' },
      { from: ['working'], beadId: bead.id, recordedBy: 'bead.updated' },
    );
  try {
    await town.beads.hook(bead.id, actor, { actor: request.actor });
  } catch (error) {
    release();
    throw error;
  }
  try {
    if (!polecat.reuse) {
      if (await branchExists(paths.repo, branch)) await addWorktree(paths.repo, worktree, branch);
      else await addBranchWorktree(paths.repo, worktree, branch, rig.branch);
    }
  } catch (error) {
    await town.beads.update(bead.id, { status: 'open', assignee: null }, { actor: request.actor });
    release();
    throw error;
  }
  const real = realpathSync(worktree);
  if (polecat.reuse) {
    await refreshWorktree({
      town,
      polecat: { rig: rig.name, polecat: polecat.name, beadId: bead.id, worktree: real, branch },
      target: rig.branch,
      replayable: runtime.name === 'script',
      actor,
    });
  }
  request.onStart?.({ polecat: polecat.name, branch, worktree: real });
  const where = { rig: rig.name, polecat: polecat.name, beadId: bead.id };
  // A bead picked up again after a crash, an expiry or a failure continues the agent's own
  // conversation from its last session of the same runtime, when the agent kept one.
  let next: Continuation = {
    resume: lastAgentConversation(town, bead.id, runtime.name),
    preamble: sessionPreamble(town, where),
  };
  // A handoff ends a session with the bead still hooked here: the next one continues it.
  for (;;) {
    const result = await runPolecatSession({
      town,
      rig: rig.name,
      polecat: polecat.name,
      bead: await town.beads.require(bead.id),
      runtime,
      policy,
      runner,
      spec: {
        worktree: real,
        townRoot: root,
        network: false,
        contextRigs: contextRigs.map((context) => ({ name: context.name, path: context.source })),
      },
      contextRigs,
      branch,
      home: request.home,
      agentConfig: agentConfigOf(townConfig, runtime.name),
      ...(request.env === undefined ? {} : { env: request.env }),
      ...(request.approvalPollMs === undefined ? {} : { approvalPollMs: request.approvalPollMs }),
      ...(next.resume === undefined ? {} : { resume: next.resume }),
      ...(next.preamble.text === undefined ? {} : { preamble: next.preamble.text }),
    });
    if (result.outcome !== 'handoff') return { ...result, polecat: polecat.name, branch, worktree: real };
    // The next session reads the latest heads too; if they cannot be had, the ones it had stand.
    contextRigs = await prepareContextRigs(town, root, contextNames, rig.name).catch(() => contextRigs);
    next = continueAfterHandoff(town, {
      ...where,
      branch,
      previous: { sessionId: result.sessionId, ...(result.commit ? { commit: result.commit } : {}) },
    });
  }
}

function lastAgentConversation(town: TownServices, beadId: string, runtime: string): string | undefined {
  const row = town.db
    .prepare<[string, string], { agent_ref: string }>(
      `SELECT agent_ref FROM sessions WHERE bead_id = ? AND runtime = ? AND agent_ref IS NOT NULL
        ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    )
    .get(beadId, runtime);
  return row?.agent_ref;
}

function chooseRunner(policy: Policy): SandboxRunner {
  const choice = pickRunner(policy.sandbox);
  if (choice.ok) return choice.runner;
  throw new GasTownError(
    ErrorCode.invalidInput,
    `${choice.reason}${choice.install ? ` (install it with: ${choice.install})` : ''}`,
  );
}

function choosePolecat(
  town: TownServices,
  rig: string,
  wanted: string | undefined,
  beadId: string,
): { name: string; reuse: boolean } {
  if (wanted === undefined) return { name: freePolecatName(town.db, rig), reuse: false };
  if (!polecatNamePattern.test(wanted))
    throw invalidInput(`--polecat: "${wanted}" is not a polecat name (a-z, 0-9, -)`);
  const row: PolecatRow | undefined = getPolecat(town.db, { rig, name: wanted });
  if (row === undefined || row.state === 'idle') return { name: wanted, reuse: false };
  // A stopped polecat may pick its own bead up again, in the worktree that holds its work so far.
  if (row.state === 'stopped' && row.bead_id === beadId && existsSync(row.worktree)) {
    return { name: wanted, reuse: true };
  }
  throw new GasTownError(
    ErrorCode.conflict,
    `polecat ${wanted} of ${rig} is ${row.state} on ${row.bead_id ?? 'nothing'}`,
    { ids: { polecat: wanted } },
  );
}
