// One readable line per event, for the feed, the trace and the dashboard. `describers` is the one
// table of every kind the town appends: a new kind gets its line here (test/ledger/describe.test.ts
// finds kinds in src/ that lack one). Unknown kinds (an older or newer town's) fall back to their
// payload's most telling fields.
import type { LedgerEvent } from './event.js';
import { isBlobRef } from './event.js';
import { createRedactor } from './redact.js';

type Payload = Record<string, unknown>;
type Describer = (payload: Payload, event: LedgerEvent) => string;

const str = (value: unknown): string =>
  value === undefined
    ? '?'
    : typeof value === 'string'
      ? value
      : isBlobRef(value)
        ? `<blob ${value.bytes} bytes>`
        : JSON.stringify(value);

const field = (payload: Payload, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (value, key) => (value !== null && typeof value === 'object' ? (value as Payload)[key] : undefined),
      payload,
    );

/** Longest error text a failed tool call shows in one line; the whole output stays in the ledger. */
export const toolErrorChars = 200;

const describers: Record<string, Describer> = {
  'town.installed': (p) => `town installed (ledger key ${str(p.key_id)})`,
  'bead.created': (p, e) => {
    const bead = (p.bead ?? {}) as Payload;
    return `created ${e.bead_id ?? ''} "${str(bead.title)}" (P${str(bead.priority)} ${str(bead.issue_type)})`;
  },
  'bead.updated': (p) =>
    `updated ${Object.entries((p.changed ?? {}) as Record<string, { to: unknown }>)
      .map(([name, change]) => `${name}=${str(change.to)}`)
      .join(', ')}`,
  'bead.hooked': (p) => `hooked on ${str(p.assignee)}`,
  'bead.claimed': (p) => `claimed by ${str(p.claimant)}`,
  'bead.closed': (p) => `closed${p.reason ? `: ${str(p.reason)}` : ''}`,
  'bead.reopened': () => 'reopened',
  'bead.deleted': () => 'deleted from the store (its last state is kept here)',
  'dependency.added': (p, e) => {
    const dep = (p.dependency ?? {}) as Payload;
    return `${e.bead_id ?? ''} depends on ${str(dep.depends_on_id)} (${str(dep.type)})`;
  },
  'dependency.removed': (p, e) => `${e.bead_id ?? ''} no longer depends on ${str(p.depends_on_id)}`,
  'label.added': (p) => `label +${str(p.label)}`,
  'label.removed': (p) => `label -${str(p.label)}`,
  'comment.added': (p) => `comment: ${truncate(str(field(p, 'comment.text')), 80)}`,
  'beads.imported': (p) =>
    `imported beads: ${str(p.created)} created, ${str(p.updated)} updated, ${str(p.unchanged)} unchanged`,
  'rig.added': (p) => `rig ${str(p.name)} added (${str(p.git_url)} @ ${str(p.branch)})`,
  'rig.removed': (p) => `rig ${str(p.name)} removed`,
  'town.estop': (p) =>
    `EMERGENCY STOP (${str(p.scope)}): ${str(p.reason)}${Array.isArray(p.sessions) ? ` — ${p.sessions.length} session(s) frozen` : ''}`,
  'town.thaw': (p) => `thawed (${str(p.scope)}): ${str(p.reason)}`,
  'rig.updated': (p) => `rig ${str(p.name)}: ${str(p.setting)} ${str(p.from)} → ${str(p.to)}`,
  'ledger.checkpoint': (p) => `checkpoint signed at size ${str(p.size)}`,
  'session.started': (p, e) =>
    `session ${e.session_id ?? ''} started: ${str(p.agent)} agent on ${str(p.branch)}${contextOf(p)}`,
  'session.ended': (p) =>
    `session ended: ${str(p.outcome)} — ${str(p.summary)}${p.commit ? ` (commit ${str(p.commit).slice(0, 12)})` : ''}`,
  'session.usage': (p) =>
    `usage: ${str(field(p, 'usage.input_tokens') ?? 0)}+${str(field(p, 'usage.output_tokens') ?? 0)} tokens${cacheOf(p)}${p.model ? ` on ${str(p.model)}` : ''}, $${typeof p.cost_usd === 'number' ? p.cost_usd.toFixed(4) : '0'}${p.unpriced ? ' (unpriced)' : ''}`,
  'agent.tool_request': (p) => `asks to use ${str(p.tool)}`,
  'agent.message': (p) => `says: ${truncate(str(p.text), 100)}`,
  'agent.reasoning': (p) => `thinks: ${truncate(str(p.text), 100)}`,
  'tool.call': (p) =>
    `${str(p.tool)}: ${truncate(str(p.command ?? p.path ?? (p.host === undefined ? '' : `${str(p.host)}:${str(p.port)}`)), 80)} → ${str(p.decision)} (${str(p.rule)})`,
  'network.connect': (p) =>
    p.decision === 'allow'
      ? `connected to ${str(p.host)}:${str(p.port)} (${str(p.rule)}): ${str(p.bytes_up)} bytes up, ${str(p.bytes_down)} down in ${str(p.duration_ms)} ms${p.error ? ` — ${truncate(str(p.error), 60)}` : ''}`
      : `refused ${str(p.host)}:${str(p.port)} (${str(p.rule)}: ${truncate(str(p.reason), 60)})`,
  'model.request': (p) => {
    const tokens = (p.tokens ?? {}) as Payload;
    const head = `model ${str(p.method)} ${str(p.path)} → ${str(p.status)}`;
    if (p.refused !== undefined) return `${head} refused: ${truncate(str(p.refused), 80)}`;
    return `${head}${p.model ? ` ${str(p.model)}` : ''}, ${str(tokens.input ?? 0)}+${str(tokens.output ?? 0)} tokens${p.stop_reason ? `, ${str(p.stop_reason)}` : ''}${p.stopped ? ` — cut: ${truncate(str(p.stopped), 60)}` : ''}`;
  },
  'tool.result': (p, e) =>
    `${str(p.status)}${p.exit_code === undefined || p.exit_code === null ? '' : ` (exit ${str(p.exit_code)})`}${p.timed_out === true ? ' (timed out)' : ''}${p.status === 'denied' ? `: ${str(p.reason)}` : ''}${p.status === 'error' ? toolError(p, e) : ''}`,
  'polecat.done': (p) => `ready for review${p.commit ? ` (commit ${str(p.commit).slice(0, 12)})` : ''}`,
  'approval.requested': (p) =>
    `asks approval #${str(p.approval_id)}: ${str(p.tool)} ${truncate(str(p.command ?? p.path ?? ''), 60)} (${str(p.rule)})`,
  'approval.decided': (p) =>
    `approval #${str(p.approval_id)} ${str(p.decision)}${p.reason ? `: ${str(p.reason)}` : ''}`,
  'approval.expired': (p) => `approval #${str(p.approval_id)} expired (denied)`,
  'escalation.raised': (p) => `ESCALATION (${str(p.reason)}): ${str(p.summary)}`,
  'escalation.acked': (p) => `escalation #${str(p.id)} acknowledged (${str(p.reason)})`,
  'escalation.closed': (p) => `escalation #${str(p.id)} closed (${str(p.reason)})`,
  'convoy.created': (p) => `convoy ${str(p.id)} "${str(p.name)}" created with ${str(p.beads)} bead(s)`,
  'convoy.bead_added': (p) => `joined convoy ${str(p.convoy)} (rig ${str(p.rig)})`,
  'convoy.launched': (p) => `convoy ${str(p.id)} launched`,
  'molecule.poured': (p) => `poured formula ${str(p.formula)}${p.wisp ? ' as a wisp' : ''}`,
  'formula.run': (p) => `ran formula ${str(p.formula)} in convoy ${str(p.convoy)}`,
  'molecule.squashed': (p) => `molecule squashed into digest ${str(p.digest)}`,
  'molecule.burned': (p) => `molecule burned (${str(p.reason)})`,
  'convoy.landed': (p) => `convoy ${str(p.id ?? p.convoy)} landed`,
  'witness.verified': (p) =>
    `verified: ${str(p.commits_ahead ?? '?')} commit(s) ahead, check passed → merge queue`,
  'witness.rework': (p) => `sent back for rework: ${str(p.reason)}`,
  'witness.escalated': (p) =>
    `rework limit (${str(p.limit ?? 'max_rework')}) reached: the Overseer decides (${str(p.reason)})`,
  'witness.nudged': (p) => `nudged ${str(p.polecat)} after ${str(p.silent_seconds)} s of silence`,
  'witness.stopped': (p) =>
    `stopped the session (${str(p.reason)}, silent ${str(p.silent_seconds)} s${p.killed ? ', processes killed' : ''})`,
  'witness.redispatched': (p) => `back in the queue (${str(p.reason)}, re-dispatch ${str(p.round)})`,
  'merge.queued': (p) => `queued for merge (${str(p.branch)} @ ${str(p.head_commit).slice(0, 12)})`,
  'merge.started': (p) => `merge started (attempt ${str(p.attempt)})`,
  'doctor.repaired': (p) => `gt doctor --fix (${str(p.check)}): ${str(p.action)}`,
  'merge.git_retry': (p) => `git was busy (try ${str(p.attempt)}), trying again: ${str(p.error)}`,
  'merge.requeued': (p) => `merge given back to the queue (attempt ${str(p.attempt)}): ${str(p.reason)}`,
  'merge.checked': (p) =>
    `${typeof p.check === 'string' ? `check \`${p.check}\` passed` : 'no check configured'} on ${str(p.commit).slice(0, 12)}${p.reused ? " (the Witness's run on the same tree, reused)" : ''}`,
  'merge.pr_opened': (p) =>
    `${p.existed ? 'found the open' : 'opened'} pull request #${str(p.number)} (${str(p.branch)} → ${str(p.base)}): ${str(p.url)}`,
  'merge.pr_commits': (p) =>
    `new commits on pull request #${str(p.number)}: head ${str(p.head).slice(0, 12)} (was ${str(p.previous).slice(0, 12)})`,
  'merge.pr_review': (p) =>
    `pull request #${str(p.number)} ${p.state === 'approved' ? `approved${Array.isArray(p.by) ? ` by ${p.by.join(', ')}` : ''}` : 'back to open (no approval stands)'}`,
  'merge.pr_changes_requested': (p) =>
    `changes requested on pull request #${str(p.pr)} by ${Array.isArray(p.reviewers) ? p.reviewers.join(', ') : '?'}: ${p.escalated ? 'rework limit reached, escalated' : `rework round ${str(p.round)}`}`,
  'merge.pr_closed': (p) => `pull request #${str(p.pr)} closed without merging: the Overseer decides`,
  'merge.pr_watch_failed': (p) =>
    `cannot watch the pull request: ${truncate(str(p.error), 120)} (next try in ${str(p.retry_in_seconds)} s)`,
  'merge.push_rejected': (p) =>
    `the remote refused the push (round ${str(p.round)}): ${truncate(str(p.message), 100)}`,
  'merge.failed': (p) => `merge failed: ${truncate(str(p.reason), 140)}`,
  'merge.superseded': (p) =>
    `merge request #${str(p.mr)} superseded by a newer head (${str(p.by_head).slice(0, 12)})`,
  'merge.merged': (p) =>
    `merged ${str(p.commit).slice(0, 12)} into ${str(p.target ?? 'the target')}${p.pr === undefined ? '' : ` (pull request #${str(p.pr)}${p.how ? `, ${str(p.how)}` : ''})`}`,
  'merge.rework': (p) => `merge refused (${str(p.reason)}): back to the polecat`,
  'polecat.refreshed': (p) => `branch ${str(p.outcome)}: ${str(p.reason)}`,
  'mail.sent': (p) => `mail to ${str(p.to)}: "${truncate(str(p.subject), 80)}"`,
  'mail.read': (p) => `read mail from ${str(p.from)}: "${truncate(str(p.subject), 80)}"`,
  'polecat.nudged': (p) => `nudges ${str(p.polecat)}: "${truncate(str(p.text), 80)}"`,
  'polecat.handoff': (p) =>
    `asks ${str(p.polecat)} to hand off${p.text ? `: "${truncate(str(p.text), 60)}"` : ''}`,
  'nudge.delivered': (p) =>
    `${p.kind === 'handoff' ? 'handoff' : 'nudge'} from ${str(p.from)} delivered into the session`,
  'polecat.resumed': (p) =>
    `resumed after handoff from ${str(p.from_session)}${p.resume ? ` (agent conversation ${str(p.resume)})` : ''}`,
  'mayor.request': (p) => `asks the Mayor: "${truncate(str(p.request), 100)}"`,
  'mayor.plan': (p) => {
    const beads = Array.isArray(p.beads) ? p.beads.length : 0;
    const convoy = field(p, 'convoy.title');
    return `plan (${str(p.source)}): ${beads} bead(s)${convoy === undefined ? '' : `, convoy "${str(convoy)}"`}${p.launch ? ', launched' : ''}`;
  },
  'mayor.answer': (p) => `answers: ${truncate(str(p.text), 100)}`,
  'mayor.report': (p) => `reports to the Overseer: ${truncate(str(p.subject), 100)}`,
  'agent.town_command': (p) =>
    `town command \`gt ${truncate(argvOf(p.argv), 80)}\`${p.refused === undefined ? ` → exit ${str(p.exit_code)}` : ` refused: ${truncate(str(p.refused), 80)}`}`,
  'mcp.call': (p) => `tool ${str(p.tool)}(${truncate(argsOf(p.arguments), 80)})`,
  'mcp.call_failed': (p) => `tool ${str(p.tool)} failed: ${truncate(str(p.error), 100)}`,
  'security.tamper': (p) =>
    `TAMPERING in ${str(p.rig)}/polecats/${str(p.polecat)}: ${truncate(Array.isArray(p.found) ? p.found.map(str).join('; ') : str(p.found), 120)}${p.commit ? ` (work kept in ${str(p.commit).slice(0, 12)})` : ''}`,
  'security.nested_repo': (p) =>
    `left nested repositories out of the commit: ${truncate(Array.isArray(p.paths) ? p.paths.map(str).join(', ') : str(p.paths), 100)}`,
  'daemon.started': (p) => `town daemon started (pid ${str(p.pid)})`,
  'daemon.stopped': (p) => `town daemon stopped (${str(p.reason)})`,
  'daemon.loop_failed': (p) =>
    `daemon loop ${str(p.loop)} failed: ${truncate(str(p.error), 120)} (${str(p.action)})`,
  'deacon.session_expired': (p) =>
    `session expired: ${str(p.reason)}${p.commit ? ` (work committed ${str(p.commit).slice(0, 12)})` : ''}`,
  'deacon.released': (p) => `released from ${str(p.assignee)}: ${str(p.reason)}`,
  'deacon.reaped': (p) => `reaped process group ${str(p.pgid)}: ${str(p.reason)}`,
};

export function describeEvent(event: LedgerEvent): string {
  const describe = describers[event.kind];
  if (describe) return describe(event.payload, event);
  const telling = ['summary', 'message', 'tool', 'command', 'decision', 'reason', 'status']
    .map((key) =>
      event.payload[key] === undefined ? undefined : `${key}=${truncate(str(event.payload[key]), 60)}`,
    )
    .filter((part): part is string => part !== undefined);
  return telling.length > 0 ? telling.join(' ') : truncate(JSON.stringify(event.payload), 100);
}

/** Every kind with a line of its own: the registry the completeness test reads. */
export function describedKinds(): string[] {
  return Object.keys(describers).sort();
}

const redactor = createRedactor();

/**
 * `: <the error>` for a failed tool call: the error, else stderr, else the output, redacted (again:
 * text written before a pattern existed) and cut to its last `toolErrorChars` characters, where
 * the error usually is. Output moved to a blob is pointed at instead.
 */
function toolError(p: Payload, event: LedgerEvent): string {
  const source = [p.error, p.stderr, p.output, p.stdout].find(
    (value) => isBlobRef(value) || (typeof value === 'string' && value.trim() !== ''),
  );
  if (isBlobRef(source)) return `: ${source.bytes} bytes of output (gt audit show ${event.seq})`;
  if (typeof source !== 'string') return '';
  const text = redactor.redactText(source).trim().replace(/\s+/g, ' ');
  return `: ${text.length > toolErrorChars ? `…${text.slice(-(toolErrorChars - 1))}` : text}`;
}

/** ` (cache 1200 read, 300 written)` when the usage report counted cached tokens. */
function cacheOf(p: Payload): string {
  const read = field(p, 'usage.cache_read_tokens');
  const written = field(p, 'usage.cache_write_tokens');
  const parts = [
    typeof read === 'number' && read > 0 ? `${read} read` : '',
    typeof written === 'number' && written > 0 ? `${written} written` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? ` (cache ${parts.join(', ')})` : '';
}

/** `bd create "Fix login" --json`: a command's argv as it would be typed. */
function argvOf(value: unknown): string {
  if (!Array.isArray(value)) return str(value);
  return value
    .map((arg) => (typeof arg === 'string' && /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg)))
    .join(' ');
}

/** `title="Add login", rig="web"`: a tool call's arguments, short. */
function argsOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value as Payload)
    .map(([key, item]) => `${key}=${typeof item === 'string' ? JSON.stringify(item) : str(item)}`)
    .join(', ');
}

function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Cost and tokens an event reports, wherever later runtimes put them (`cost_usd`, `usage.*`). */
export function eventCost(event: LedgerEvent): { usd: number; inputTokens: number; outputTokens: number } {
  const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return {
    usd: num(event.payload.cost_usd ?? event.payload.total_cost_usd),
    inputTokens: num(field(event.payload, 'usage.input_tokens')),
    outputTokens: num(field(event.payload, 'usage.output_tokens')),
  };
}

/** `, reading api@1a2b3c4d5e6f, core@…`: the context rigs a session read, at which head. */
function contextOf(p: Record<string, unknown>): string {
  if (!Array.isArray(p.context_rigs) || p.context_rigs.length === 0) return '';
  const rigs = p.context_rigs.map((rig: unknown) => {
    const r = rig !== null && typeof rig === 'object' ? (rig as Record<string, unknown>) : {};
    return `${str(r.name)}@${str(r.head).slice(0, 12)}`;
  });
  return `, reading ${rigs.join(', ')}`;
}
