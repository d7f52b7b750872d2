// JSON shapes of `gt bd --json`, as classic `bd` prints them: an issue is `beadToJson` (the JSONL
// object); `show` adds `dependents` (bd's IssueDetails); `blocked` adds `blocked_by` and
// `blocked_by_count` (bd's BlockedIssue); related beads carry `dependency_type`.
import { beadToJson } from '../../beads/jsonl.js';
import type { Bead, Comment } from '../../beads/model.js';
import type { BlockedBead, DependencyView } from '../../beads/store.js';
import type { DependencyViews } from './bead-text.js';

export type JsonObject = Record<string, unknown>;

export const beadJson = (bead: Bead): JsonObject => beadToJson(bead);

/** The bead at the other end of an edge, without its own relations, plus the edge's type. */
export function relatedJson(view: DependencyView, otherId: string): JsonObject {
  if (!view.bead) return { id: otherId, dependency_type: view.dependency.type };
  const out = beadToJson(view.bead);
  delete out.dependencies;
  delete out.comments;
  return { ...out, dependency_type: view.dependency.type };
}

export function detailJson(bead: Bead, views: DependencyViews): JsonObject {
  const out = beadToJson(bead);
  if (views.dependents.length > 0) {
    out.dependents = views.dependents.map((view) => relatedJson(view, view.dependency.issue_id));
  }
  return out;
}

export function dependencyListJson(views: DependencyViews): JsonObject {
  return {
    dependencies: views.dependencies.map((view) => relatedJson(view, view.dependency.depends_on_id)),
    dependents: views.dependents.map((view) => relatedJson(view, view.dependency.issue_id)),
  };
}

export function blockedJson(item: BlockedBead): JsonObject {
  return { ...beadToJson(item.bead), blocked_by_count: item.blocked_by.length, blocked_by: item.blocked_by };
}

/** A comment as bd writes it: fields we do not model are put back beside the known ones. */
export function commentJson(comment: Comment): JsonObject {
  const { extra, ...known } = comment;
  return { ...known, ...extra };
}
