/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The gridmesh command end to end, as a user runs it: a real process, real files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aScenarioInput } from '../src/core/sim/scenario.fixture.js';
import { describeWithChromium, launchChromium } from './support/chromium.js';

function gridmesh(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenarioFile(content: unknown, name = 'town.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridmesh-cli-'));
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const town = aScenarioInput({ events: [{ kind: 'outage', area: 'city', startHour: 6, durationHours: 8 }] });

describe('gridmesh simulate', () => {
  const out = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
  const file = scenarioFile(town);

  it('writes results.json, timeseries.csv and report.html and prints both modes side by side', () => {
    const r = gridmesh('simulate', file, '--mode', 'both', '--days', '1', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/metric\s+autonomous\s+baseline/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.mode).toBe('both');
    for (const mode of ['autonomous', 'baseline']) {
      const run = results.runs[mode];
      expect(run).toMatchObject({ scenario: 'Test town', seed: 7, mode, slots: 96, sites: town.sites.length });
      for (const key of ['energyServedKwh', 'energyNotServedKwh', 'criticalEnergyNotServedKwh', 'customerMinutesInterrupted',
        'selfSufficiencyPct', 'localBalancePct', 'islandingEvents']) expect(run.metrics).toHaveProperty(key);
      expect(run.resultsHash).toMatch(/^[0-9a-f]{64}$/);
    }
    const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^mode,slot,time,demandKw/);
    expect(csv).toHaveLength(1 + 2 * 96);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<html');
    // The autonomous run settled through the trust layer; the baseline (today's grid) did not.
    expect(results.runs.autonomous.metrics.trust.statements.final).toBeGreaterThan(0);
    expect(results.runs.autonomous.metrics.trust.chain.committed).toBe(results.runs.autonomous.metrics.trust.statements.final);
    expect(results.runs.baseline.metrics.trust).toBeUndefined();
    expect(existsSync(join(out, 'ledger.sqlite'))).toBe(true);
    expect(r.stdout).toContain('ledger.sqlite');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Trust and settlement');
  });

  it('--no-trust runs physics and markets only, with the same physical results', () => {
    const plain = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    const r = gridmesh('simulate', file, '--mode', 'autonomous', '--days', '1', '--no-trust', '--out', plain);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(plain, 'results.json'), 'utf8'));
    expect(results.metrics.trust).toBeUndefined();
    expect(existsSync(join(plain, 'ledger.sqlite'))).toBe(false);
    const trusted = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).runs.autonomous.metrics;
    expect(results.metrics.energyServedKwh).toBe(trusted.energyServedKwh);
  });

  it('plans with the site EMS (HiGHS) when the scenario enables it, compared with no EMS; --no-ems turns it off', () => {
    const emsFile = scenarioFile(aScenarioInput({ control: { ems: { enabled: true } } }), 'ems-town.json');
    const withEms = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    const r = gridmesh('simulate', emsFile, '--mode', 'autonomous', '--days', '1', '--no-trust', '--out', withEms);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ems = JSON.parse(readFileSync(join(withEms, 'results.json'), 'utf8')).metrics.control.ems;
    expect(ems.plans).toBeGreaterThan(0);
    expect(ems.solved).toBe(ems.plans);
    expect(ems.withoutEms.costMinor).toBeGreaterThan(0);
    expect(readFileSync(join(withEms, 'report.html'), 'utf8')).toContain('planned their battery, EV charging, heating and washing');
    const off = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    expect(gridmesh('simulate', emsFile, '--mode', 'autonomous', '--days', '1', '--no-trust', '--no-ems', '--out', off).status).toBe(0);
    expect(JSON.parse(readFileSync(join(off, 'results.json'), 'utf8')).metrics.control.ems).toBeUndefined();
  });

  it('gives the same resultsHash when run again with the same seed, and another with --seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    const other = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    expect(gridmesh('simulate', file, '--mode', 'autonomous', '--days', '1', '--out', again).status).toBe(0);
    expect(gridmesh('simulate', file, '--mode', 'autonomous', '--days', '1', '--seed', '99', '--out', other).status).toBe(0);
    const hash = (dir: string): string => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).resultsHash;
    const first = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).runs.autonomous.resultsHash;
    expect(hash(again)).toBe(first);
    expect(hash(other)).not.toBe(first);
  });

  it('error: an invalid scenario exits with code 2, names the path, and writes nothing', () => {
    const bad = scenarioFile({ ...town, sites: [{ ...town.sites[0], area: 'nowhere' }, ...town.sites.slice(1)] });
    const target = join(mkdtempSync(join(tmpdir(), 'gridmesh-out-')), 'never');
    const r = gridmesh('simulate', bad, '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sites[0].area');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(target)).toBe(false);
  });

  it('error: a YAML syntax error exits with code 2 naming the line', () => {
    const r = gridmesh('simulate', scenarioFile('name: x\nareas: [\n', 'broken.yaml'), '--out', join(out, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line/);
  });

  it('error: bad options exit with code 2', () => {
    expect(gridmesh('simulate', file, '--mode', 'sideways').status).toBe(2);
    expect(gridmesh('simulate', file, '--days', 'many').status).toBe(2);
    expect(gridmesh('simulate', file, '--seed', '1.5').status).toBe(2);
    expect(gridmesh('simulate', '/does/not/exist.yaml').status).toBe(2);
    const badRpc = gridmesh('simulate', file, '--chain-rpc', 'ftp://example.org');
    expect(badRpc.status).toBe(2);
    expect(badRpc.stderr).toContain('--chain-rpc must be an http(s) URL');
  });

  it('scenario validate accepts the example and rejects a broken file', () => {
    expect(gridmesh('scenario', 'validate', 'examples/riverside.yaml').status).toBe(0);
    expect(gridmesh('scenario', 'validate', scenarioFile({ name: 'x' })).status).toBe(2);
  });
});

describeWithChromium('report of a real simulation', () => {
  it('renders every chart in headless Chromium', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gridmesh-report-'));
    expect(gridmesh('simulate', scenarioFile(town), '--days', '1', '--out', out).status).toBe(0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((el) => el.getAttribute('data-rendered') === 'true'));
      const charts = await page.locator('[data-chart]').count();
      expect(charts).toBeGreaterThanOrEqual(9);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('gridmesh powerflow', () => {
  it('prints losses, voltage extremes with the case bus numbers, iterations, method and time', () => {
    const r = gridmesh('powerflow', 'test/fixtures/matpower/case33bw.m');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/losses\s+202\.677 kW, 135\.141 kvar/);
    expect(r.stdout).toMatch(/Vmin\s+0\.91309 pu at bus 18/);
    expect(r.stdout).toMatch(/method\s+sweep \(\d+ iterations/);
    expect(r.stdout).toMatch(/time\s+[\d.]+ ms/);
  });

  it('--json follows the documented contract', () => {
    const r = gridmesh('powerflow', 'test/fixtures/matpower/case69.m', '--method', 'newton', '--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ case: 'case69', method: 'newton', converged: true, vmin: { bus: 65 } });
    for (const key of ['iterations', 'lossesKw', 'lossesKvar', 'vmax', 'buses', 'branches']) expect(json).toHaveProperty(key);
    expect(json.buses[0]).toEqual({ bus: 1, vmPu: expect.any(Number), vaDeg: expect.any(Number) });
    expect(Object.keys(json.branches[0])).toEqual(expect.arrayContaining(['from', 'to', 'pFromKw', 'qFromKvar', 'lossKw']));
    expect(Math.abs(json.lossesKw - 224.992)).toBeLessThan(0.01);
  });

  it('error: a missing file, a bad method or an uninterpretable statement exits with code 2', () => {
    expect(gridmesh('powerflow', '/no/such/case.m').status).toBe(2);
    expect(gridmesh('powerflow', 'test/fixtures/matpower/case33bw.m', '--method', 'gauss').status).toBe(2);
    const bad = scenarioFile("function mpc = x\nmpc.version = '2';\nmpc.baseMVA = 10;\nmpc.bus(3:5, 3) = 1;\n", 'bad.m');
    const r = gridmesh('powerflow', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 4/);
  });

  it('error: the sweep on a case with a voltage-regulating generator says to use newton', () => {
    const r = gridmesh('powerflow', 'test/fixtures/matpower/case4_dist.m', '--method', 'sweep');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/use newton/);
  });
});

describe('gridmesh simulate with a feeder imported from a MATPOWER case', () => {
  it('loads the case next to the scenario file and runs power flow on it', () => {
    const input = aScenarioInput();
    const members = input.sites.filter((s) => s.area === 'n1-s1').map((s) => s.id);
    const scenario = {
      ...input,
      areas: input.areas.map((a) => (a.id === 'n1-s1'
        ? { ...a, feeder: { matpower: 'feeder.m', memberBuses: Object.fromEntries(members.map((m, k) => [m, 2 + k])) } }
        : a)),
    };
    const file = scenarioFile(scenario);
    writeFileSync(join(file, '..', 'feeder.m'), readFileSync('test/fixtures/matpower/case33bw.m'));
    const out = mkdtempSync(join(tmpdir(), 'gridmesh-out-'));
    const r = gridmesh('simulate', file, '--mode', 'autonomous', '--days', '0.5', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.metrics.grid.feeders).toBe(1);
    expect(results.metrics.networkLossesKwh).toBeGreaterThan(0);
  });

  it('error: a missing case file exits with code 2 naming it', () => {
    const input = aScenarioInput();
    const members = input.sites.filter((s) => s.area === 'n1-s1').map((s) => s.id);
    const scenario = { ...input, areas: input.areas.map((a) => (a.id === 'n1-s1' ? { ...a, feeder: { matpower: 'nowhere.m', memberBuses: Object.fromEntries(members.map((m, k) => [m, 2 + k])) } } : a)) };
    const r = gridmesh('simulate', scenarioFile(scenario), '--days', '0.25', '--out', join(tmpdir(), 'never-written'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nowhere\.m/);
  });
});
