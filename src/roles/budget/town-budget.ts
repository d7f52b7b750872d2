// Town-wide daily budgets (`town.yaml` budgets.tokens_per_day, budgets.usd_per_day), enforced by
// the Deacon: the day's spending (UTC) is summed from the `usage` table, the numbers sessions check
// after each model call; past a cap the town is frozen (as `gt estop`) and the Overseer gets one
// escalation for the day.
import type { TownConfig } from '../../town/config.js';
import type { TownServices } from '../../town/services.js';
import { usageSpend } from './costs.js';
import { raiseEscalation } from '../comms/escalations.js';
import { estop } from './estop.js';
import { getTownState } from './town-state.js';

export interface DaySpend {
  day: string;
  usd: number;
  tokens: number;
}

export function spentToday(town: Pick<TownServices, 'db'>, now: Date): DaySpend {
  const day = now.toISOString().slice(0, 10);
  return { day, ...usageSpend(town.db, { day }) };
}

/** Freezes the town when a daily cap is spent; returns why, or undefined when within budget. */
export function enforceTownBudget(
  town: TownServices,
  budgets: TownConfig['budgets'],
  now: Date,
  actor: string,
): string | undefined {
  const spend = spentToday(town, now);
  const over =
    budgets.usd_per_day !== undefined && spend.usd >= budgets.usd_per_day
      ? `spent $${spend.usd.toFixed(2)} of $${budgets.usd_per_day} today`
      : budgets.tokens_per_day !== undefined && spend.tokens >= budgets.tokens_per_day
        ? `used ${spend.tokens} of ${budgets.tokens_per_day} tokens today`
        : undefined;
  if (over === undefined) return undefined;
  if (getTownState(town.db, 'frozen:town') === undefined) {
    estop(town, actor, `town budget: ${over}`);
    raiseEscalation(
      town,
      {
        key: `budget:town:${spend.day}`,
        kind: 'budget',
        summary: `town budget: ${over}; the town is frozen (gt thaw resumes)`,
      },
      actor,
    );
  }
  return over;
}
