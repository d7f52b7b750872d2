// The approvals queue: a tool call the policy answers with `ask` is parked here until the Overseer
// approves or denies it (CLI or dashboard), or it times out and counts as denied. Every step is a
// ledger event in the same transaction as the row change.
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';

export const approvalStatuses = ['pending', 'approved', 'denied', 'expired'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

export interface Approval {
  id: number;
  session_id: string;
  bead_id: string;
  rig: string;
  polecat: string;
  tool: string;
  command: string | null;
  /** The part of the command that asked (what `approve --always` allows from then on). */
  part: string | null;
  path: string | null;
  rule: string;
  reason: string;
  status: ApprovalStatus;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

export interface ApprovalRequest {
  session_id: string;
  bead_id: string;
  rig: string;
  polecat: string;
  tool: string;
  command?: string;
  part?: string;
  path?: string;
  rule: string;
  reason: string;
}

export function parkApproval(
  ledger: Ledger,
  request: ApprovalRequest,
  timeoutSeconds: number,
  now = new Date(),
): Approval {
  const db = ledger.db;
  return writeTx(db, () => {
    const expires = new Date(now.getTime() + timeoutSeconds * 1000).toISOString();
    const result = db
      .prepare(
        `INSERT INTO approvals (session_id, bead_id, rig, polecat, tool, command, part, path, rule, reason, status, created_at, expires_at)
         VALUES (:session_id, :bead_id, :rig, :polecat, :tool, :command, :part, :path, :rule, :reason, 'pending', :created_at, :expires_at)`,
      )
      .run({
        ...request,
        command: request.command ?? null,
        part: request.part ?? null,
        path: request.path ?? null,
        created_at: now.toISOString(),
        expires_at: expires,
      });
    const approval = getApproval(db, Number(result.lastInsertRowid))!;
    ledger.append({
      kind: 'approval.requested',
      actor: `${request.rig}/polecats/${request.polecat}`,
      bead_id: request.bead_id,
      session_id: request.session_id,
      payload: {
        approval_id: approval.id,
        tool: request.tool,
        command: request.command,
        path: request.path,
        rule: request.rule,
        reason: request.reason,
        expires_at: expires,
      },
    });
    return approval;
  });
}

export function getApproval(db: Db, id: number): Approval | undefined {
  return db.prepare<[number], Approval>('SELECT * FROM approvals WHERE id = ?').get(id);
}

export function listApprovals(db: Db, status?: ApprovalStatus): Approval[] {
  return status === undefined
    ? db.prepare<[], Approval>('SELECT * FROM approvals ORDER BY id').all()
    : db.prepare<[string], Approval>('SELECT * FROM approvals WHERE status = ? ORDER BY id').all(status);
}

/** Approves or denies a pending call; refuses one already decided or expired. */
export function decideApproval(
  ledger: Ledger,
  id: number,
  decision: 'approved' | 'denied',
  actor: string,
  reason?: string,
  now = new Date(),
): Approval {
  const db = ledger.db;
  return writeTx(db, () => {
    const current = getApproval(db, id);
    if (!current) throw notFound('approval', String(id));
    if (current.status !== 'pending') {
      throw new GasTownError(ErrorCode.conflict, `approval ${id} is already ${current.status}`, {
        ids: { approval: String(id) },
      });
    }
    if (current.expires_at <= now.toISOString()) {
      expire(ledger, current, now);
      throw new GasTownError(ErrorCode.conflict, `approval ${id} expired at ${current.expires_at} (denied)`, {
        ids: { approval: String(id) },
      });
    }
    db.prepare(
      `UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ? AND status = 'pending'`,
    ).run(decision, actor, now.toISOString(), reason ?? null, id);
    ledger.append({
      kind: 'approval.decided',
      actor,
      bead_id: current.bead_id,
      session_id: current.session_id,
      payload: {
        approval_id: id,
        decision,
        reason: reason ?? null,
        tool: current.tool,
        command: current.command,
      },
    });
    return getApproval(db, id)!;
  });
}

function expire(ledger: Ledger, approval: Approval, now: Date): void {
  ledger.db
    .prepare(`UPDATE approvals SET status = 'expired', decided_at = ? WHERE id = ? AND status = 'pending'`)
    .run(now.toISOString(), approval.id);
  ledger.append({
    kind: 'approval.expired',
    actor: 'deacon',
    bead_id: approval.bead_id,
    session_id: approval.session_id,
    payload: { approval_id: approval.id, tool: approval.tool, command: approval.command },
  });
}

/** Polls until the approval is decided; an unanswered ask past its deadline expires (denied). */
export async function waitForDecision(
  ledger: Ledger,
  id: number,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<ApprovalStatus> {
  const pollMs = options.pollMs ?? 200;
  for (;;) {
    const current = getApproval(ledger.db, id);
    if (!current) throw notFound('approval', String(id));
    if (current.status !== 'pending') return current.status;
    if (current.expires_at <= new Date().toISOString()) {
      writeTx(ledger.db, () => expire(ledger, current, new Date()));
      continue;
    }
    if (options.signal?.aborted) return 'denied';
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
