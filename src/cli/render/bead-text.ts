// Human-readable bead output for `gt bd`: one compact line per bead in lists
// (`<id> [P<n>] [<type>] <status> - <title> @assignee`), the detail view of `show`, dependency
// trees, comments and stats. Pure: takes beads, returns lines.
import type { Bead, Comment } from '../../beads/model.js';
import type { BlockedBead, DependencyView, Stats, TreeNode } from '../../beads/store.js';

export function beadLine(bead: Bead): string {
  const who = bead.assignee ? ` @${bead.assignee}` : '';
  return `${bead.id} [P${bead.priority}] [${bead.issue_type}] ${bead.status} - ${bead.title}${who}`;
}

export interface DependencyViews {
  dependencies: DependencyView[];
  dependents: DependencyView[];
}

/** `→ <line> (type)` for an edge; the other end may be missing from this store. */
export function edgeLine(view: DependencyView, otherId: string, arrow: string): string {
  const other = view.bead ? beadLine(view.bead) : `${otherId} (not in this town)`;
  return `${arrow} ${other} (${view.dependency.type})`;
}

export function showLines(bead: Bead, views: DependencyViews): string[] {
  const lines = [`${bead.id}: ${bead.title}`];
  lines.push(`Status: ${bead.status}  Priority: P${bead.priority}  Type: ${bead.issue_type}`);
  if (bead.assignee) lines.push(`Assignee: ${bead.assignee}`);
  if (bead.owner) lines.push(`Owner: ${bead.owner}`);
  const by = bead.created_by ? ` by ${bead.created_by}` : '';
  lines.push(`Created: ${bead.created_at}${by}  Updated: ${bead.updated_at}`);
  const when = [
    bead.estimated_minutes === undefined ? '' : `Estimate: ${bead.estimated_minutes} min`,
    bead.defer_until ? `Deferred until: ${bead.defer_until}` : '',
    bead.due_at ? `Due: ${bead.due_at}` : '',
  ].filter((part) => part !== '');
  if (when.length > 0) lines.push(when.join('  '));
  if (bead.closed_at)
    lines.push(`Closed: ${bead.closed_at}${bead.close_reason ? ` (${bead.close_reason})` : ''}`);
  if (bead.external_ref) lines.push(`External: ${bead.external_ref}`);
  if (bead.labels.length > 0) lines.push(`Labels: ${bead.labels.join(', ')}`);
  const sections: [string, string | undefined][] = [
    ['Description', bead.description],
    ['Design', bead.design],
    ['Acceptance criteria', bead.acceptance_criteria],
    ['Notes', bead.notes],
  ];
  for (const [heading, text] of sections) {
    if (text === undefined || text === '') continue;
    lines.push('', `${heading}:`, ...indent(text.split('\n')));
  }
  if (views.dependencies.length > 0) {
    lines.push('', `Depends on (${views.dependencies.length}):`);
    for (const view of views.dependencies)
      lines.push(`  ${edgeLine(view, view.dependency.depends_on_id, '→')}`);
  }
  if (views.dependents.length > 0) {
    lines.push('', `Dependents (${views.dependents.length}):`);
    for (const view of views.dependents) lines.push(`  ${edgeLine(view, view.dependency.issue_id, '←')}`);
  }
  if (bead.comments.length > 0) {
    lines.push('', `Comments (${bead.comments.length}):`);
    for (const comment of bead.comments) lines.push(...indent(commentLines(comment)));
  }
  return lines;
}

export function commentLines(comment: Comment): string[] {
  return [`[${comment.author}] ${comment.created_at}`, ...indent(comment.text.split('\n'))];
}

export function treeLines(nodes: readonly TreeNode[]): string[] {
  return nodes.map((node) => {
    const mark = node.truncated ? ' (shown above)' : '';
    return `${'  '.repeat(node.depth)}${node.id}: ${node.title} [${node.type}] (${node.status})${mark}`;
  });
}

export function blockedLines(items: readonly BlockedBead[]): string[] {
  return items.flatMap((item) => [beadLine(item.bead), `  blocked by: ${item.blocked_by.join(', ')}`]);
}

export function statsLines(stats: Stats): string[] {
  return [
    `Total:        ${stats.total_issues}`,
    `Open:         ${stats.open_issues}`,
    `In progress:  ${stats.in_progress_issues}`,
    `Blocked:      ${stats.blocked_issues}`,
    `Ready:        ${stats.ready_issues}`,
    `Deferred:     ${stats.deferred_issues}`,
    `Closed:       ${stats.closed_issues}`,
    `Pinned:       ${stats.pinned_issues}`,
    `Hooked:       ${stats.hooked_issues}`,
    `Tombstones:   ${stats.tombstone_issues}`,
    `Avg lead time: ${stats.average_lead_time_hours} h`,
  ];
}

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
