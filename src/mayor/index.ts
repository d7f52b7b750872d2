// The Mayor: turns the Overseer's requests into beads, dependencies and convoys. `gt mayor plan`
// creates a structured plan in one transaction; `gt mayor ask` / `attach` run the Mayor as an agent
// with the town's tools (the MCP server in src/mcp/); the report loop tells the Overseer when a
// convoy lands, stalls or fails. Every decision is in the ledger under the request's span.
export { mayorActor, mayorActorOf, requestSpanOf, requestSpanEnv, requestIdEnv } from './actor.js';
export { planSchema, planBeadSchema } from './plan-schema.js';
export type { Plan, PlanBead } from './plan-schema.js';
export { loadPlan, parsePlan } from './plan-load.js';
export type { CheckedPlan, PlanTown } from './plan-load.js';
export { applyPlan } from './plan-apply.js';
export type { PlanOptions, PlanResult, PlannedBead } from './plan-apply.js';
export { askMayor, mayorDir, mayorPrompt } from './ask.js';
export type { AskOptions, AskResult } from './ask.js';
export { runMayorRepl } from './repl.js';
export type { ReplOptions } from './repl.js';
export { attachClaude, findClaude } from './claude-mayor.js';
export { chooseMayorRuntime, mayorRuntimes } from './runtime-choice.js';
export type { MayorRuntime, MayorRuntimeChoice } from './runtime-choice.js';
export type { MayorEvent } from './model-mayor.js';
export { recordRequest, recordAnswer } from './request.js';
export type { MayorRequest, MayorAnswer } from './request.js';
export { reportConvoys } from './reports.js';
export type { ReportOptions, SentReport } from './reports.js';
