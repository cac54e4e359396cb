/**
 * Overload cascade simulation. A trigger (a branch outage, several, or a load increase) changes the
 * grid; then, round after round:
 *   1. power flow on the live grid (Newton-Raphson; an island with no solution is a voltage collapse,
 *      see solve-live-grid.ts);
 *   2. autonomous mode only, when branches are overloaded: the controllers either shed load by
 *      priority downstream of them, just enough to bring them under the trip limit, or let them trip,
 *      whichever affects less load (choose-response.ts, relieve-overloads.ts);
 *   3. protection trips every in-service rated branch loaded above `tripAbovePct`, all at once: a
 *      round is one protection time step, and the order within it would need relay time curves we
 *      do not model;
 *   4. buses left without a source island with their microgrid (autonomous) or lose their load
 *      (settle-supply.ts).
 * The cascade ends with the first round in which nothing trips. Shedding, trips and losses are never
 * undone (no reclosing or restoration within the cascade). Everything is deterministic: fixed orders,
 * flat-start solves, no randomness.
 */
import { assert } from '../../assert.js';
import type { PowerNetwork } from '../network.js';
import { CascadeError } from './cascade-error.js';
import { resolveCascadeInputs, type CascadeInputs } from './cascade-inputs.js';
import { CascadeState, ISLANDED, LOST, ON_GRID } from './cascade-state.js';
import type { BusOutcome, CascadeOptions, CascadeResult, CascadeRound, CascadeTrigger } from './cascade-types.js';
import { chooseResponse } from './choose-response.js';
import { overloadedBranches } from './overloaded-branches.js';
import { settleSupply } from './settle-supply.js';
import { solveLiveGrid } from './solve-live-grid.js';
import { summariseCascade } from './summarise-cascade.js';

export function runCascade(network: PowerNetwork, trigger: CascadeTrigger, options: CascadeOptions): CascadeResult {
  const inputs = resolveCascadeInputs(network, trigger, options);
  const state = new CascadeState(network, inputs.shedRank);
  applyTrigger(state, inputs);
  const rounds: CascadeRound[] = [state.takeRound(0)];
  for (let round = 1; ; round++) {
    const tripped = runRound(state, inputs, round, inputs.mode === 'autonomous');
    const record = state.takeRound(round);
    if (eventful(record)) rounds.push(record);
    if (!tripped) break;
  }
  return {
    case: network.name,
    mode: inputs.mode,
    trigger: inputs.trigger.text,
    tripAbovePct: inputs.tripAbovePct,
    rounds,
    summary: summariseCascade(state, rounds),
    buses: busOutcomes(state),
  };
}

function busOutcomes(state: CascadeState): BusOutcome[] {
  const out: BusOutcome[] = [];
  state.network.buses.forEach((b, i) => {
    const demand = state.demandPdPu[i] as number;
    const status = state.status[i];
    const outcome = status === LOST ? 'lost' : status === ISLANDED ? 'islanded' : status === ON_GRID ? 'served' : undefined;
    if (outcome === undefined) return;
    out.push({ bus: b.id, outcome, shedShare: demand > 0 ? Math.min(1, (state.shedPdPu[i] as number) / demand) : 0 });
  });
  return out;
}

function applyTrigger(state: CascadeState, inputs: CascadeInputs): void {
  const t = inputs.trigger;
  if (t.kind === 'load') state.scaleLoad(t.buses, t.scale);
  else for (const k of t.branches) state.trip(k, null);
  settleSupply(state, inputs.mode, inputs.microgrids);
}

/**
 * One round; whether anything tripped (else the cascade is over). `controlled`: the autonomous
 * controllers may shed for overloads (false in their own look-ahead).
 */
function runRound(state: CascadeState, inputs: CascadeInputs, round: number, controlled: boolean): boolean {
  let solved = solveLiveGrid(state, inputs.mode);
  let overloads = overloadedBranches(solved.network, solved.flows, inputs.tripAbovePct);
  if (controlled && overloads.length > 0) {
    solved = chooseResponse(state, inputs.tripAbovePct, solved, (copy) => runUncontrolled(copy, inputs, round));
    overloads = overloadedBranches(solved.network, solved.flows, inputs.tripAbovePct);
  }
  if (overloads.length === 0) return false;
  if (round > inputs.maxRounds) {
    throw new CascadeError(`the cascade is still tripping branches after ${inputs.maxRounds} rounds`, {
      details: [`${overloads.length} branches overloaded in round ${round}; raise maxRounds to follow it further`],
    });
  }
  for (const o of overloads) {
    assert(o.loadingPct > inputs.tripAbovePct, 'cascade: tripping a branch that is not overloaded', { ...o });
    state.trip(o.branch, o.loadingPct);
  }
  settleSupply(state, inputs.mode, inputs.microgrids);
  return true;
}

/** The rest of the cascade from `round` with no shedding for overloads (the controllers' look-ahead). */
function runUncontrolled(state: CascadeState, inputs: CascadeInputs, round: number): void {
  let r = round;
  while (runRound(state, inputs, r, false)) r++;
}

function eventful(r: CascadeRound): boolean {
  return r.tripped.length > 0 || r.deEnergisedBuses.length > 0 || r.islandedBuses.length > 0 || r.shedLoadKw > 0 || r.notes.length > 0;
}
