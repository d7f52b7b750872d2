// roles/comms: Messages between the town's actors: mail, nudges (structured messages to running agents),
// and escalations to the Overseer.
// Layer rule: the lowest role layer: imports nothing from the other roles.
// Only the names below are used outside this folder; everything else is internal.

export { ackEscalation, closeEscalation, listEscalations, raiseEscalation } from './escalations.js';
export type { Escalation, EscalationInput, EscalationTown } from './escalations.js';
export { inbox, readMail, sendMail } from './mail.js';
export type { MailRow } from './mail.js';
export { startNudgeDelivery } from './nudge-delivery.js';
export { queueNudge } from './nudges.js';
