// roles/gateway: The tool gateway: every tool call an agent asks for is judged by the policy (allow / deny /
// ask), run in the sandbox when allowed, and recorded; the file tools of the model loops; approvals.
// Layer rule: may import comms and budget.
// Only the names below are used outside this folder; everything else is internal.

export { decideApproval, listApprovals } from './approvals.js';
export type { Approval } from './approvals.js';
export { createToolGateway } from './tool-gateway.js';
