import { describe, expect, it } from 'vitest';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { CascadeState } from './cascade-state.js';
import { planShed, planTargetedShed } from './shed-by-priority.js';

// Four load buses of 0.1 pu (1 MW on the 10 MVA base); ranks: 0 normal, 1 essential, 2 critical.
const network = aNetwork({
  buses: [aBus(1, { type: 'REF' }), ...[2, 3, 4, 5].map((id) => aBus(id, { pdPu: 0.1 }))],
  branches: [aBranch(0, 1), aBranch(1, 2), aBranch(2, 3), aBranch(3, 4)],
});
const aState = (): CascadeState => new CascadeState(network, Uint8Array.from([0, 0, 0, 1, 2]));
const fractions = (plan: readonly { bus: number; fraction: number }[]): Record<number, number> =>
  Object.fromEntries(plan.map((p) => [p.bus, Number(p.fraction.toFixed(6))]));

describe('planShed', () => {
  it('sheds normal load first, in equal shares', () => {
    expect(fractions(planShed(aState(), [1, 2, 3, 4], 0.1))).toEqual({ 1: 0.5, 2: 0.5 });
  });

  it('then essential, and critical last', () => {
    expect(fractions(planShed(aState(), [1, 2, 3, 4], 0.35))).toEqual({ 1: 1, 2: 1, 3: 1, 4: 0.5 });
  });

  it('never sheds more than the buses draw', () => {
    const state = aState();
    state.shed(planShed(state, [1, 2, 3, 4], 10));
    expect(Array.from(state.pdPu)).toEqual([0, 0, 0, 0, 0]);
    expect(state.shedPdPu.reduce((a, b) => a + b, 0)).toBeCloseTo(0.4, 12);
  });
});

describe('planTargetedShed', () => {
  it('sheds pro rata to each bus\'s share of supply through the branch', () => {
    const shares = new Map([[1, 1], [2, 0.5]]);
    // Relief α·(1·1 + 0.5·0.5)·0.1 = 0.05 → α = 0.4: bus 2 sheds 40 %, bus 3 sheds 20 %.
    expect(fractions(planTargetedShed(aState(), shares, 0.05))).toEqual({ 1: 0.4, 2: 0.2 });
  });

  it('moves to the next class only when the lower one is used up', () => {
    const shares = new Map([[1, 1], [3, 1], [4, 1]]);
    expect(fractions(planTargetedShed(aState(), shares, 0.15))).toEqual({ 1: 1, 3: 0.5 });
  });
});
