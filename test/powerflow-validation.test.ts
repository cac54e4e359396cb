/**
 * Validation of both power-flow methods on every MATPOWER case in test/fixtures/matpower (copies of
 * the shared data): published references, sweep/Newton agreement on radial cases, and the meshed
 * cases with their tie switches closed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../src/core/grid/matpower/parse-case.js';
import type { PowerNetwork } from '../src/core/grid/network.js';
import { chooseMethod, runPowerFlow } from '../src/core/grid/powerflow/run-power-flow.js';

const dir = 'test/fixtures/matpower';
const cases = readdirSync(dir).filter((f) => f.endsWith('.m')).sort();
const load = (file: string): PowerNetwork => parseMatpowerCase(readFileSync(join(dir, file), 'utf8'), file.replace(/\.m$/, ''));

describe('power flow on every MATPOWER fixture', () => {
  it('has the fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(29);
  });

  it.each(cases)('%s: solves, and sweep and Newton agree to 1e-6 pu where the sweep applies', (file) => {
    const network = load(file);
    const newton = runPowerFlow(network, 'newton');
    expect(newton.solution.converged).toBe(true);
    if (chooseMethod(network) !== 'sweep') return;
    const sweep = runPowerFlow(network, 'sweep');
    for (let i = 0; i < network.buses.length; i++) {
      const re = (s: typeof sweep): number => (s.solution.vmPu[i] as number) * Math.cos(s.solution.vaRad[i] as number);
      const im = (s: typeof sweep): number => (s.solution.vmPu[i] as number) * Math.sin(s.solution.vaRad[i] as number);
      expect(Math.hypot(re(sweep) - re(newton), im(sweep) - im(newton))).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['case33bw.m', 202.677, 135.141, 0.91309, 18],
    ['case69.m', 224.992, undefined, 0.90919, 65],
  ] as const)('%s matches the published losses and minimum voltage with both methods', (file, kw, kvar, vmin, bus) => {
    for (const method of ['sweep', 'newton'] as const) {
      const { report } = runPowerFlow(load(file), method);
      expect(Math.abs(report.lossesKw - kw)).toBeLessThan(0.01);
      if (kvar !== undefined) expect(Math.abs(report.lossesKvar - kvar)).toBeLessThan(0.01);
      expect(Math.abs(report.vmin.pu - vmin)).toBeLessThan(1e-5);
      expect(report.vmin.bus).toBe(bus);
    }
  });

  it.each(['case16ci.m', 'case70da.m', 'case33bw.m'])('%s with its tie switches closed is meshed and solves with Newton', (file) => {
    const network = load(file);
    const closed: PowerNetwork = { ...network, branches: network.branches.map((b) => ({ ...b, inService: true })) };
    expect(closed.branches.length).toBeGreaterThan(network.branches.filter((b) => b.inService).length);
    expect(chooseMethod(closed)).toBe('newton');
    const { report } = runPowerFlow(closed, 'auto');
    expect(report.method).toBe('newton');
    expect(report.converged).toBe(true);
    // Closing ties in a meshed feeder lowers the losses of the radial configuration.
    expect(report.lossesKw).toBeLessThan(runPowerFlow(network, 'newton').report.lossesKw);
  });

  it('auto picks Newton for a case with a voltage-regulating generator (case4_dist)', () => {
    expect(chooseMethod(load('case4_dist.m'))).toBe('newton');
  });

  it('error: a case whose loads have no solution names the worst bus', () => {
    const network = load('case33bw.m');
    const heavy: PowerNetwork = { ...network, buses: network.buses.map((b) => ({ ...b, pdPu: b.pdPu * 60, qdPu: b.qdPu * 60 })) };
    for (const method of ['sweep', 'newton'] as const) {
      expect(() => runPowerFlow(heavy, method)).toThrow(/did not converge/);
      try {
        runPowerFlow(heavy, method);
      } catch (error) {
        expect((error as { details: string[] }).details.join(' ')).toMatch(/at bus \d+/);
      }
    }
  });
});
