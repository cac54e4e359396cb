import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { aScenarioInput } from '../../core/sim/scenario.fixture.js';
import { forecastEvaluateCommand, registerForecastCommands } from './forecast.js';
import { usageFailure } from './usage-failure.fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'gridmesh-forecast-'));
const file = join(dir, 'town.json');
writeFileSync(file, JSON.stringify(aScenarioInput({ limits: { maxDays: 8 } })));
const QUICK = { days: '2', warmupDays: '3', issueEveryHours: '6', progress: false };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gridmesh forecast evaluate', () => {
  it('--json prints one object with model, mae, rmse and skill per target', async () => {
    const out = await forecastEvaluateCommand(file, { ...QUICK, json: true });
    const json = JSON.parse(out.stdout);
    expect(Object.keys(json.targets)).toEqual(['load', 'pv', 'wind', 'price']);
    for (const target of ['load', 'pv', 'wind', 'price']) {
      expect(json.targets[target]).toMatchObject({ model: 'ridge', mae: expect.any(Number), rmse: expect.any(Number), unit: expect.any(String) });
      expect(json.targets[target].skill === null || typeof json.targets[target].skill === 'number').toBe(true);
    }
    expect(json.protocol).toMatchObject({ warmupDays: 3, evaluationDays: 2, horizonHours: 24, issues: 8 });
    expect(json).toMatchObject({ scenario: 'Test town', seed: 7, slots: 5 * 96 });
  });

  it('prints a table per target with the baselines', async () => {
    const out = await forecastEvaluateCommand(file, QUICK);
    expect(out.stdout).toMatch(/^Test town: \d+ sites, seed 7, 3 warm-up \+ 2 evaluated days of 15-min slots/);
    expect(out.stdout).toMatch(/^load: [\d,]+ forecast slots, seasonal-naive MAE [\d.,]+ kW$/m);
    expect(out.stdout).toMatch(/^ {2}model +MAE \(kW\) +RMSE \(kW\) +skill$/m);
    expect(out.stdout).toMatch(/^ {2}seasonal-naive-1d +[\d.,]+ +[\d.,]+ +0\.000$/m);
    expect(out.stdout).toMatch(/^price: .* minor\/kWh$/m);
    expect(out.stdout).toMatch(/^ {2}persistence /m);
  });

  it('--seed changes the run', async () => {
    const a = JSON.parse((await forecastEvaluateCommand(file, { ...QUICK, json: true })).stdout);
    const b = JSON.parse((await forecastEvaluateCommand(file, { ...QUICK, json: true, seed: '3' })).stdout);
    expect(b.seed).toBe(3);
    expect(b.targets.load.mae).not.toBe(a.targets.load.mae);
  });

  it('registers `forecast evaluate`, which writes the report to stdout', async () => {
    const program = new Command('gridmesh').exitOverride();
    registerForecastCommands(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['forecast', 'evaluate', file, '--days', '2', '--warmup-days', '3', '--issue-every-hours', '12', '--no-progress', '--json'], { from: 'user' });
      expect(JSON.parse(String(write.mock.calls[0]?.[0])).protocol.issues).toBe(4);
    } finally {
      write.mockRestore();
    }
  });

  it('error: bad options and a run longer than limits.maxDays are usage errors (exit code 2)', async () => {
    expect(await usageFailure(forecastEvaluateCommand(file, { ...QUICK, days: 'x' }))).toBeInstanceOf(UsageError);
    expect((await usageFailure(forecastEvaluateCommand(file, { ...QUICK, warmupDays: '0' }))).message).toMatch(/--warmup-days must be a whole number of at least 1/);
    expect((await usageFailure(forecastEvaluateCommand(file, { ...QUICK, horizonHours: '72' }))).message).toMatch(/--horizon-hours must be at most 48/);
    expect((await usageFailure(forecastEvaluateCommand(file, { ...QUICK, seed: '-1' }))).message).toMatch(/--seed/);
    expect((await usageFailure(forecastEvaluateCommand(file, { ...QUICK, horizonHours: '0.1' }))).details.join('\n')).toMatch(/horizon: 0.25 to 48 hours \(got 0.1\)/);
    const tooLong = await usageFailure(forecastEvaluateCommand(file, { ...QUICK, days: '28', warmupDays: '7' }));
    expect(tooLong.message).toMatch(/35 days, more than the scenario's limits\.maxDays \(8\)/);
    expect((await usageFailure(forecastEvaluateCommand(join(dir, 'missing.yaml'), QUICK))).message).toMatch(/no such file|not found|cannot read/i);
  });
});
