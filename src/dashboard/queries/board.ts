// The beads board: ready, in progress, in review (label gt:review), merged (recently closed) and
// blocked, each column with its full count and its first `limit` cards, so a 100k-bead town
// still answers in one small payload.
import type { Db } from '../../db/open.js';
import type { BeadStore } from '../../beads/index.js';
import { reviewLabel } from '../../roles/polecat/polecat-done.js';

import type { BoardColumn } from '../columns.js';

export interface BoardCard {
  id: string;
  title: string;
  priority: number;
  assignee: string | null;
  /** What holds a blocked bead back; the merge note of a merged one. */
  note?: string;
}

export type Board = Record<BoardColumn, { count: number; cards: BoardCard[] }>;

interface CardRow {
  id: string;
  title: string;
  priority: number;
  assignee?: string | null;
  close_reason?: string | null;
}

export async function beadsBoard(db: Db, beads: BeadStore, limit: number): Promise<Board> {
  const ready = await beads.ready({ sort: 'priority' });
  const blocked = await beads.blocked();
  const progress = (review: boolean) =>
    db
      .prepare<[string], CardRow>(
        `SELECT id, title, priority, assignee FROM beads b
          WHERE status IN ('in_progress', 'hooked')
            AND ${review ? '' : 'NOT'} EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = b.id AND l.label = ?)
          ORDER BY priority, created_ms`,
      )
      .all(reviewLabel);
  const working = progress(false);
  const review = progress(true);
  const mergedCount = db
    .prepare(`SELECT count(*) FROM beads WHERE status = 'closed'`)
    .pluck()
    .get() as number;
  const merged = db
    .prepare<[number], CardRow>(
      `SELECT id, title, priority, assignee, close_reason FROM beads WHERE status = 'closed'
        ORDER BY closed_at DESC LIMIT ?`,
    )
    .all(limit);
  const card = (row: CardRow): BoardCard => ({
    id: row.id,
    title: row.title,
    priority: row.priority,
    assignee: row.assignee ?? null,
    ...(row.close_reason ? { note: row.close_reason } : {}),
  });
  return {
    ready: { count: ready.length, cards: ready.slice(0, limit).map(card) },
    in_progress: { count: working.length, cards: working.slice(0, limit).map(card) },
    review: { count: review.length, cards: review.slice(0, limit).map(card) },
    merged: { count: mergedCount, cards: merged.map(card) },
    blocked: {
      count: blocked.length,
      cards: blocked
        .slice(0, limit)
        .map((b) => ({ ...card(b.bead), note: `blocked by ${b.blocked_by.join(', ')}` })),
    },
  };
}
