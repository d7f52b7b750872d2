// roles/budget: Money, tokens and time: model prices, usage records, budgets per bead, rig and town, cost
// reports, the emergency stop and the town's small key/value state.
// Layer rule: may import comms only.
// Only the names below are used outside this folder; everything else is internal.

export { budgetState } from './budgets.js';
export type { BudgetState } from './budgets.js';
export { costTotals, costsBy, usageSpend } from './costs.js';
export type { CostGrouping, CostRow, CostTotals } from './costs.js';
export { estop, thaw } from './estop.js';
export { priceTable } from './prices.js';
export type { PriceTable } from './prices.js';
export { enforceTownBudget } from './town-budget.js';
export { isFrozen } from './town-state.js';
export { recordUsage } from './usage.js';
