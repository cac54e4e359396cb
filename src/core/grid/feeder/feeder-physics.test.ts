import { describe, expect, it } from 'vitest';
import { feederSchema } from '../../sim/scenario-schema.js';
import { FeederPhysics } from './feeder-physics.js';

const spec = feederSchema.parse({});

describe('feeder physics', () => {
  it('an idle feeder has no losses and flat voltage', () => {
    const f = new FeederPhysics('idle', spec, 10, 400);
    const r = f.solve(new Float64Array(10), 0.25);
    expect(r.converged).toBe(true);
    expect(r.lossWh).toBe(0);
    expect(r.vminPu).toBeCloseTo(1, 9);
  });

  it('load causes losses and a voltage drop that grows with distance; export raises voltage', () => {
    const f = new FeederPhysics('street', spec, 20, 400);
    const load = new Float64Array(20).fill(-1000); // 4 kW each over 15 min
    const r = { ...f.solve(load, 0.25) };
    expect(r.lossWh).toBeGreaterThan(0);
    expect(r.vminPu).toBeLessThan(1);
    expect(r.vmaxPu).toBeCloseTo(1, 6);
    const exportNoon = f.solve(new Float64Array(20).fill(2000), 0.25);
    expect(exportNoon.vmaxPu).toBeGreaterThan(1);
  });

  it('losses match I²R of a single member at the end of one section', () => {
    const one = feederSchema.parse({ transformerImpedancePct: 0.0001 });
    const f = new FeederPhysics('one', one, 1, 1000);
    // 10 kW for one hour at 0.4 kV, pf 0.97: I = S / (√3 V).
    const r = f.solve(Float64Array.of(-10_000), 1);
    const s = 10 / 0.97;
    const v = 0.4 * r.vminPu;
    const current = s / (Math.sqrt(3) * v);
    const expectedW = 3 * current * current * 0.206 * 0.03; // 3 phases × I² × R of 30 m
    expect(Math.abs(r.lossWh - expectedW)).toBeLessThanOrEqual(2);
  });

  it('reports overloading of the transformer', () => {
    const f = new FeederPhysics('small transformer', spec, 5, 50);
    const r = f.solve(new Float64Array(5).fill(-5000), 0.25); // 100 kW on a 50 kVA transformer
    expect(r.maxLoadingPct).toBeGreaterThan(100);
  });
});

describe('feeder physics against the general branch flows', () => {
  it('losses, voltages and loading equal branchFlows on the same solution', async () => {
    const { branchFlows } = await import('../powerflow/branch-flows.js');
    const { solveSweep } = await import('../powerflow/sweep.js');
    const f = new FeederPhysics('check', spec, 12, 100);
    const net = Float64Array.from({ length: 12 }, (_, k) => (k % 3 === 0 ? 1500 : -2500));
    const r = { ...f.solve(net, 0.25) };
    const pd = new Float64Array(f.network.buses.length);
    const qd = new Float64Array(f.network.buses.length);
    const tanPhi = Math.tan(Math.acos(spec.powerFactor));
    net.forEach((wh, k) => {
      const p = -wh / (0.25 * 1e6);
      pd[k + 2] = p;
      qd[k + 2] = p > 0 ? p * tanPhi : 0;
    });
    const network = { ...f.network, buses: f.network.buses.map((b, i) => ({ ...b, pdPu: pd[i] as number, qdPu: qd[i] as number })) };
    const flows = branchFlows(network, solveSweep(network));
    expect(Math.abs(r.lossWh - flows.totalLossPPu * 1e6 * 0.25)).toBeLessThanOrEqual(1);
    expect(r.vminPu).toBeCloseTo(flows.vmin.pu, 6);
    expect(r.vmaxPu).toBeCloseTo(flows.vmax.pu, 6);
    expect(r.maxLoadingPct).toBeCloseTo(Math.max(...Array.from(flows.loadingPct).filter((x) => !Number.isNaN(x))), 3);
  });
});
