// One readable line per event, for the feed, the trace and the dashboard. Unknown kinds fall back
// to their payload's most telling fields, so new event kinds are readable before they get a line.
import type { LedgerEvent } from './event.js';
import { isBlobRef } from './event.js';

type Payload = Record<string, unknown>;
type Describer = (payload: Payload, event: LedgerEvent) => string;

const str = (value: unknown): string =>
  typeof value === 'string'
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
  'ledger.checkpoint': (p) => `checkpoint signed at size ${str(p.size)}`,
  'session.started': (p, e) =>
    `session ${e.session_id ?? ''} started: ${str(p.agent)} agent on ${str(p.branch)}`,
  'session.ended': (p) =>
    `session ended: ${str(p.outcome)} — ${str(p.summary)}${p.commit ? ` (commit ${str(p.commit).slice(0, 12)})` : ''}`,
  'session.usage': (p) =>
    `usage: ${str(field(p, 'usage.input_tokens') ?? 0)}+${str(field(p, 'usage.output_tokens') ?? 0)} tokens${cacheOf(p)}${p.model ? ` on ${str(p.model)}` : ''}, $${typeof p.cost_usd === 'number' ? p.cost_usd.toFixed(4) : '0'}${p.unpriced ? ' (unpriced)' : ''}`,
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
  'tool.result': (p) =>
    `${str(p.status)}${p.exit_code === undefined ? '' : ` (exit ${str(p.exit_code)})`}${p.status === 'denied' ? `: ${str(p.reason)}` : ''}`,
  'polecat.done': (p) => `ready for review${p.commit ? ` (commit ${str(p.commit).slice(0, 12)})` : ''}`,
  'approval.requested': (p) =>
    `asks approval #${str(p.approval_id)}: ${str(p.tool)} ${truncate(str(p.command ?? p.path ?? ''), 60)} (${str(p.rule)})`,
  'approval.decided': (p) =>
    `approval #${str(p.approval_id)} ${str(p.decision)}${p.reason ? `: ${str(p.reason)}` : ''}`,
  'approval.expired': (p) => `approval #${str(p.approval_id)} expired (denied)`,
  'escalation.raised': (p) => `ESCALATION (${str(p.reason)}): ${str(p.summary)}`,
  'convoy.created': (p) => `convoy ${str(p.id)} "${str(p.name)}" created with ${str(p.beads)} bead(s)`,
  'convoy.bead_added': (p) => `joined convoy ${str(p.convoy)} (rig ${str(p.rig)})`,
  'convoy.launched': (p) => `convoy ${str(p.id)} launched`,
  'convoy.landed': (p) => `convoy ${str(p.id ?? p.convoy)} landed`,
  'witness.verified': (p) =>
    `verified: ${str(p.commits_ahead ?? '?')} commit(s) ahead, check passed → merge queue`,
  'witness.rework': (p) => `sent back for rework: ${str(p.reason)}`,
  'merge.queued': (p) => `queued for merge (${str(p.branch)} @ ${str(p.head_commit).slice(0, 12)})`,
  'merge.started': (p) => `merge started (attempt ${str(p.attempt)})`,
  'merge.checked': (p) =>
    `${typeof p.check === 'string' ? `check \`${p.check}\` passed` : 'no check configured'} on ${str(p.commit).slice(0, 12)}${p.reused ? " (the Witness's run on the same tree, reused)" : ''}`,
  'merge.merged': (p) => `merged ${str(p.commit).slice(0, 12)} into ${str(p.target ?? 'the target')}`,
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
  'daemon.started': (p) => `town daemon started (pid ${str(p.pid)})`,
  'daemon.stopped': (p) => `town daemon stopped (${str(p.reason)})`,
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
