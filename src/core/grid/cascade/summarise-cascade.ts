/**
 * The size of a cascade: lines tripped, customers (buses with load) lost and shed, load lost, shed,
 * islanded and still served. Load is conserved: served + shed + lost = demand, checked here.
 */
import { assert } from '../../assert.js';
import { ISLANDED, LOST, ON_GRID, type CascadeState } from './cascade-state.js';
import { CRITICAL_RANK, type CascadeRound, type CascadeSummary } from './cascade-types.js';

export function summariseCascade(state: CascadeState, rounds: readonly CascadeRound[]): CascadeSummary {
  const kw = state.kwPerPu;
  let demand = 0;
  let served = 0;
  let islanded = 0;
  let shed = 0;
  let lost = 0;
  let criticalDemand = 0;
  let criticalServed = 0;
  let customersLost = 0;
  let customersShed = 0;
  state.network.buses.forEach((_, i) => {
    const status = state.status[i];
    const pd = Math.max(0, state.pdPu[i] as number);
    const isServed = status === ON_GRID || status === ISLANDED;
    demand += state.demandPdPu[i] as number;
    if (isServed) served += pd;
    if (status === ISLANDED) islanded += pd;
    shed += state.shedPdPu[i] as number;
    lost += state.lostPdPu[i] as number;
    if (state.shedRank[i] === CRITICAL_RANK) {
      criticalDemand += state.demandPdPu[i] as number;
      if (isServed) criticalServed += pd;
    }
    if (status === LOST && (state.demandPdPu[i] as number) > 0) customersLost++;
    if ((state.shedPdPu[i] as number) > 0) customersShed++;
  });
  assert(Math.abs(served + shed + lost - demand) <= 1e-9 * Math.max(1, Math.abs(demand)), 'cascade: load not conserved', {
    demand, served, shed, lost,
  });
  return {
    linesTripped: rounds.reduce((n, r) => n + (r.round > 0 ? r.tripped.length : 0), 0),
    customersLost,
    customersShed,
    loadLostKw: lost * kw,
    loadShedKw: shed * kw,
    loadIslandedKw: islanded * kw,
    demandKw: demand * kw,
    servedKw: served * kw,
    criticalDemandKw: criticalDemand * kw,
    criticalServedKw: criticalServed * kw,
    rounds: rounds.filter((r) => r.round > 0).length,
  };
}
