import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GridmeshError, UsageError } from '../../core/errors.js';
import { FlisrError } from '../../core/grid/flisr/flisr-error.js';
import { exitCodeFor } from '../program.js';
import { busRanges, flisrCommand, registerFlisrCommand } from './flisr.js';

const CASE33 = fileURLToPath(new URL('../../../test/fixtures/matpower/case33bw.m', import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gridmesh flisr', () => {
  it('prints the steps and the summary for a mid-feeder fault', async () => {
    const text = await flisrCommand(CASE33, { fault: '6-7' });
    expect(text.split('\n').slice(0, 10)).toEqual([
      'case33bw: fault on 6–7, feeder breaker 1–2 (limits: 0.9–1.1 pu, loading ≤ 100 %)',
      '',
      'step  t (s)  action  switch  kind           buses       load (kW)  note',
      '   1    0.0  fault   6–7     -              -                 0.0  fault on 6–7',
      '   2    0.0  trip    1–2     breaker        2–33           3715.0  feeder breaker 1–2 trips',
      '   3   15.0  open    6–7     sectionaliser  7               200.0  isolate the faulted section from upstream',
      '   4   20.0  open    7–8     sectionaliser  8–18            875.0  separate a healthy section below the fault',
      '   5   25.0  close   1–2     breaker        2–6, 19–33     2640.0  reclose the breaker: restore upstream of the fault',
      '   6   30.0  close   12–22   tie            8–18            875.0  restore through tie 12–22',
      '',
    ]);
    expect(text).toContain('isolated      buses 7 (200.0 kW) between 6–7, 7–8');
    expect(text).toContain('              875.0 kW via tie 12–22 (buses 8–18, t = 30 s)');
    expect(text).toMatch(/final {9}Vmin 0\.93700 pu at bus 18, Vmax 1\.00000 pu at bus 1, max loading no rated branch, losses 143\.4 kW, radial/);
  });

  it('prints JSON with --json, taking the limits from the flags', async () => {
    const out = JSON.parse(await flisrCommand(CASE33, { fault: '6-7', vmin: '0.95', json: true, partial: false })) as {
      steps: { action: string }[];
      summary: { limits: { vminPu: number }; unserved: { buses: number[]; loadKw: number }[] };
    };
    expect(out.summary.limits.vminPu).toBe(0.95);
    expect(out.steps.map((s) => s.action)).toEqual(['fault', 'trip', 'open', 'open', 'close', 'unserved']);
    expect(out.summary.unserved[0]?.loadKw).toBeCloseTo(875, 6);
  });

  it('takes the switch plan from --sectionalisers and --ties', async () => {
    const text = await flisrCommand(CASE33, { fault: '6-7', sectionalisers: '2-3, 5-6,6-26,8-9', ties: '12-22,25-29' });
    expect(text).toContain('isolated      buses 6–8 (460.0 kW) between 5–6, 8–9, 6–26');
  });

  it('runs through commander', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const program = new Command('gridmesh').exitOverride();
    registerFlisrCommand(program);
    await program.parseAsync(['node', 'gridmesh', 'flisr', CASE33, '--fault', '1-2', '--max-loading', '90', '--json']);
    const out = JSON.parse(String(write.mock.calls[0]?.[0])) as { summary: { limits: { maxLoadingPct: number }; isolated: { buses: number[] } } };
    expect(out.summary.limits.maxLoadingPct).toBe(90);
    expect(out.summary.isolated.buses).toEqual([2]);
  });

  it('error: a bad option value or a missing --fault is a UsageError', async () => {
    await expect(flisrCommand(CASE33, { fault: '6-7', vmin: 'low' })).rejects.toThrow(new UsageError('--vmin must be a positive number, got "low"'));
    await expect(flisrCommand(CASE33, { fault: '6-7', maxLoading: '-5' })).rejects.toBeInstanceOf(UsageError);
    await expect(flisrCommand(CASE33, {})).rejects.toThrow(/--fault FROM-TO is required/);
  });

  it('error: bad inputs are typed errors that exit with code 2', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ fault: '5-40' }, /no branch between buses 5 and 40/],
      [{ fault: '21-8' }, /21–8: the branch is out of service/],
      [{ fault: '6-7', sectionalisers: '6-7,21-8' }, /switch 21–8 is listed as a sectionaliser/],
      [{ fault: '6-7', vmin: '1.2' }, /vmaxPu must be a number above vminPu/],
    ];
    for (const [flags, message] of cases) {
      const error = await flisrCommand(CASE33, flags).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlisrError);
      expect((error as Error).message).toMatch(message);
      expect(exitCodeFor(error)).toBe(2);
    }
    const missing = await flisrCommand('/nonexistent/case.m', { fault: '6-7' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GridmeshError);
  });

  it('writes bus lists as ranges', () => {
    expect(busRanges([2, 3, 4, 6, 8, 9])).toBe('2–4, 6, 8–9');
    expect(busRanges([])).toBe('');
  });
});
