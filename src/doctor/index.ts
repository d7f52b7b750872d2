// `gt doctor`: what the town needs from the machine and from its own files, checked one small
// module per concern, with safe repairs. The CLI shell is src/cli/commands/doctor.ts.
export { runDoctor, doctorChecks } from './run.js';
export type { DoctorOptions, DoctorReport } from './run.js';
export { checkStatuses } from './types.js';
export type { CheckStatus, DoctorCheck, DoctorContext, Finding } from './types.js';
export { satisfiesMinimum } from './node-version.js';
