/**
 * `npx tsx bench/ems.bench.ts`: site EMS (MPC) solves per second for one site over 24 h at 15 min
 * (96 slots) with HiGHS: battery + EV + heat pump (an LP), the same with a washing machine (a MILP),
 * and the heuristic fallback; LP build time (text) against solve time. The prices move with each
 * solve (a rolling horizon). Prints figures; asserts nothing (CONVENTIONS 10). Option: BENCH_EMS_RUNS.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadHighsSolver } from '../src/adapters/solver/highs-lp-solver.js';
import { planBounds } from '../src/core/control/ems/plan-bounds.js';
import { DEFAULT_PLAN_PENALTIES } from '../src/core/control/ems/plan-penalties.js';
import { buildSiteLp } from '../src/core/control/ems/site-lp.js';
import type { SitePlanInput } from '../src/core/control/ems/site-plan-input.js';
import { heuristicPlan, planSite, type LpSolver } from '../src/core/control/ems/site-plan.js';

const runs = Number(process.env.BENCH_EMS_RUNS ?? 200);
const SLOTS = 96;
const SLOT_HOURS = 0.25;

const series = (f: (hour: number) => number, shift: number): Float64Array =>
  Float64Array.from({ length: SLOTS }, (_, t) => f((((t + shift) * SLOT_HOURS) % 24)));

/** A home at `shift` slots past midnight: evening peak, PV at noon, a day-ahead-like price curve. */
function aHome(shift: number, withWasher: boolean): SitePlanInput {
  const buy = series((h) => 28 + 12 * Math.sin(((h - 12) / 24) * 2 * Math.PI) + (h >= 17 && h < 20 ? 15 : 0), shift);
  return {
    slotHours: SLOT_HOURS,
    horizon: SLOTS,
    baseLoadWh: series((h) => 120 + (h >= 17 && h < 22 ? 250 : 0) + (h >= 7 && h < 9 ? 150 : 0), shift),
    generationWh: series((h) => Math.max(0, 1500 * Math.sin(((h - 6) / 14) * Math.PI)), shift),
    buyMinorPerKwh: buy,
    sellMinorPerKwh: series(() => 8, shift),
    importLimitWh: 25 * SLOT_HOURS * 1000,
    importAllowanceWh: 60_000,
    battery: {
      storedWh: 5000, floorWh: 1000, ceilingWh: 9500, maxChargeWh: 1250, maxDischargeWh: 1250,
      chargeEfficiency: Math.sqrt(0.9), dischargeEfficiency: Math.sqrt(0.9), wearMinorPerKwh: 2,
    },
    evs: [{ availableFromOffset: 0, departureOffset: 40, energyNeededWh: 20_000, maxChargeWh: 11 * SLOT_HOURS * 1000 }],
    heaters: [{
      indoorC: 20.5, comfortMinC: 19.5, comfortMaxC: 22, heatLossKwPerK: 0.15, decay: Math.exp((-0.15 * SLOT_HOURS) / 5),
      ratedWh: 3 * SLOT_HOURS * 1000, outdoorC: series((h) => 2 + 5 * Math.sin(((h - 9) / 24) * 2 * Math.PI), shift),
      cop: series((h) => 3 + 0.5 * Math.sin(((h - 9) / 24) * 2 * Math.PI), shift),
    }],
    washers: withWasher ? [{ readyOffset: 4, latestStartOffset: 60, cycleWh: [500, 500, 500, 300, 300, 200, 200, 100] }] : [],
    penalties: DEFAULT_PLAN_PENALTIES,
  };
}

function timeMs<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

function measure(label: string, withWasher: boolean, solver: LpSolver): void {
  // Warm-up: the first solves run while V8 still tiers the wasm code up.
  for (let i = 0; i < 20; i++) planSite(aHome(i, withWasher), solver, { timeLimitMs: 10_000 });
  let buildMs = 0;
  let solveMs = 0;
  let planMs = 0;
  let fallbacks = 0;
  let size = '';
  for (let i = 0; i < runs; i++) {
    const input = aHome(i % SLOTS, withWasher);
    const [text, b] = timeMs(() => {
      const model = buildSiteLp(input, planBounds(input));
      size = `${model.variableCount} variables (${model.hasBinaries ? 'with binaries' : 'continuous'}), ${model.rowCount} rows`;
      return model.toLpText();
    });
    const [, s] = timeMs(() => solver.solve(text, { timeLimitSeconds: 10 }));
    const [plan, p] = timeMs(() => planSite(input, solver, { timeLimitMs: 10_000 }));
    if (plan.source !== 'optimal') fallbacks++;
    buildMs += b;
    solveMs += s;
    planMs += p;
  }
  console.log(
    `${label}: ${size}; LP build ${(buildMs / runs).toFixed(2)} ms, HiGHS solve ${(solveMs / runs).toFixed(2)} ms, ` +
      `planSite (build + solve + round + check) ${(planMs / runs).toFixed(2)} ms → ${(1000 / (planMs / runs)).toFixed(1)} solves/s` +
      (fallbacks > 0 ? ` (${fallbacks} fell back)` : ''),
  );
}

console.log(`gridmesh site EMS benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), one site, ${SLOTS} slots of 15 min, ${runs} solves each`);
const [solver, loadMs] = await (async () => {
  const t0 = performance.now();
  const s = await loadHighsSolver();
  return [s, performance.now() - t0] as const;
})();
console.log(`load HiGHS (compile wasm, two instances): ${loadMs.toFixed(0)} ms`);
measure('battery + EV + heat pump (LP)', false, solver);
measure('battery + EV + heat pump + washing machine (MILP)', true, solver);
const [, heuristicMs] = timeMs(() => {
  for (let i = 0; i < runs; i++) heuristicPlan(aHome(i % SLOTS, true), 'bench');
});
console.log(`heuristic fallback (all four devices): ${(heuristicMs / runs).toFixed(2)} ms → ${(1000 / (heuristicMs / runs)).toFixed(0)} plans/s`);
