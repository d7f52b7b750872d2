// What the Overseer can do from the page: approve or deny a parked tool call, e-stop and thaw,
// approve a molecule's human step, create and launch convoys, acknowledge or close escalations,
// re-verify the ledger. Each calls the same function as the CLI command, as the same actor
// (`overseer`), so the ledger records a click exactly as it records the command.
import type { Hono } from 'hono';
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { decideApproval } from '../roles/gateway/approvals.js';
import { createConvoy } from '../roles/convoy/convoy.js';
import { markConvoyLaunched } from '../roles/convoy/convoy-dispatch.js';
import { requireConvoy } from '../roles/convoy/convoy.js';
import { ackEscalation, closeEscalation } from '../roles/comms/escalations.js';
import { approveMoleculeStep } from '../roles/convoy/molecule-approve.js';
import { estop, thaw } from '../roles/budget/estop.js';
import type { AppContext } from './context.js';
import { overseerActor } from './context.js';

const denyBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
const freezeBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  rig: z.string().min(1).optional(),
});
const convoyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  beads: z.array(z.string().min(1)).min(1).max(1000),
});

const idOf = (text: string): number => {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw invalidInput(`id: "${text}" is not a number`);
  return id;
};

/** An empty body is `{}`: buttons post nothing. */
async function body(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput('the body is not JSON');
  }
}

export function actionRoutes(api: Hono, ctx: AppContext): void {
  const { town } = ctx;
  api.post('/approvals/:id/approve', (c) =>
    c.json(
      decideApproval(town.ledger, idOf(c.req.param('id')), 'approved', overseerActor, undefined, ctx.now()),
    ),
  );
  api.post('/approvals/:id/deny', async (c) => {
    const { reason } = denyBody.parse(await body(c.req.raw));
    return c.json(
      decideApproval(town.ledger, idOf(c.req.param('id')), 'denied', overseerActor, reason, ctx.now()),
    );
  });
  api.post('/estop', async (c) => {
    const { reason, rig } = freezeBody.parse(await body(c.req.raw));
    return c.json(estop(town, overseerActor, reason ?? 'emergency stop by the Overseer (dashboard)', rig));
  });
  api.post('/thaw', async (c) => {
    const { reason, rig } = freezeBody.parse(await body(c.req.raw));
    return c.json(thaw(town, overseerActor, reason ?? 'thawed by the Overseer (dashboard)', rig));
  });
  api.post('/convoys', async (c) => {
    const input = convoyBody.parse(await body(c.req.raw));
    return c.json(await createConvoy(town, input, overseerActor), 201);
  });
  api.post('/convoys/:id/launch', (c) => {
    // As `gt convoy launch` with a daemon up: mark it launched; the daemon's dispatcher slings.
    markConvoyLaunched(town, c.req.param('id'), overseerActor);
    ctx.wake('convoys');
    return c.json(requireConvoy(town.db, c.req.param('id')));
  });
  api.post('/escalations/:id/ack', (c) =>
    c.json(ackEscalation(town, idOf(c.req.param('id')), overseerActor)),
  );
  api.post('/escalations/:id/close', (c) =>
    c.json(closeEscalation(town, idOf(c.req.param('id')), overseerActor)),
  );
  api.post('/molecules/steps/:bead/approve', async (c) => {
    const { reason } = denyBody.parse(await body(c.req.raw));
    const closed = await approveMoleculeStep(town, c.req.param('bead'), overseerActor, reason);
    // The step's close unblocks the next ones: the dispatcher slings them now, not at its next tick.
    ctx.wake('convoys');
    return c.json(closed);
  });
  api.post('/verify', (c) => c.json(ctx.verify.refresh()));
}
