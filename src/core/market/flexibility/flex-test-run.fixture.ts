/**
 * Test helper: runs a scenario's engine up to `slot` and hands the slot's context to `planAt` in the
 * plan stage (after sense, before clearing) and to `settleAt` after metering.
 */
import type { Scenario } from '../../sim/scenario-schema.js';
import { prepareRun, type PreparedRun } from '../../sim/simulate.js';
import type { SlotContext } from '../../sim/slot-context.js';

export function runToSlot(scenario: Scenario, slot: number, planAt: (ctx: SlotContext) => void, settleAt: (ctx: SlotContext) => void = () => {}): PreparedRun {
  const run = prepareRun(scenario, {
    stages: {
      plan: { run: (ctx) => { if (ctx.slot === slot) planAt(ctx); } },
      settle: { run: (ctx) => { if (ctx.slot === slot) settleAt(ctx); } },
    },
  });
  for (let s = 0; s <= slot; s++) run.engine.step(s);
  return run;
}

/** Slot of a local hour on the first day of a scenario starting at local midnight (15-minute slots). */
export const slotAt = (hour: number): number => Math.round(hour * 4);
