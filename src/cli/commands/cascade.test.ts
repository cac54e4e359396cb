import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { cascadeCommand, registerCascadeCommand } from './cascade.js';
import { usageFailure } from './usage-failure.fixture.js';

const CASE33 = fileURLToPath(new URL('../../../test/fixtures/matpower/case33bw.m', import.meta.url));
const MESHED = { closeTies: true, margin: '30' };

describe('gridmesh cascade', () => {
  it('prints the rounds of each mode and the summaries side by side', async () => {
    const text = await cascadeCommand(CASE33, { ...MESHED, trip: '6-7', critical: '7,18,30' });
    expect(text).toMatch(/^case33bw \(ties closed, rated at base case \+ 30 %\): outage of 6-7, trip above 100 %/);
    expect(text).toMatch(/^baseline\n {2}round 0 {2}trigger 1: 6-7\n {2}round 1 {2}tripped \d+: 10-11 \(238\.\d %\)/m);
    expect(text).toMatch(/^ {2}round 2 {2}tripped \d+:/m);
    expect(text).toMatch(/^autonomous\n {2}round 0/m);
    expect(text).toMatch(/^ +baseline +autonomous$/m);
    expect(text).toMatch(/^lines tripped +17 +0$/m);
    expect(text).toMatch(/^critical served \(kW\) +0\.0 \/ 490\.0 +490\.0 \/ 490\.0$/m);
  });

  it('--json prints every run with its rounds and summary', async () => {
    const json = JSON.parse(await cascadeCommand(CASE33, { ...MESHED, loadScale: '1.3', mode: 'autonomous', json: true }));
    expect(json.case).toBe('case33bw');
    expect(json.runs).toHaveLength(1);
    expect(json.runs[0]).toMatchObject({ mode: 'autonomous', trigger: 'every load × 1.3', tripAbovePct: 100 });
    expect(json.runs[0].summary).toMatchObject({ linesTripped: 0, customersLost: 0 });
    expect(json.runs[0].rounds[0]).toEqual(expect.objectContaining({ round: 0, tripped: [], deEnergisedBuses: [] }));
  });

  it('islands microgrids given on the command line', async () => {
    const text = await cascadeCommand(CASE33, { margin: '50', trip: '6-7', critical: '18', microgrid: ['18,17,16,15:250'], mode: 'autonomous' });
    expect(text).toMatch(/islanded 4 buses \(15, 16, 17, 18\); shed 20\.0 kW/);
    expect(text).toMatch(/microgrid 1 islands with 4 buses, serving 250\.0 kW of 270\.0 kW/);
  });

  it('registers the command, which writes the report to stdout', async () => {
    const program = new Command('gridmesh').exitOverride();
    registerCascadeCommand(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['cascade', CASE33, '--close-ties', '--margin', '30', '--load-scale', '1.1', '--mode', 'baseline'], { from: 'user' });
      expect(String(write.mock.calls[0]?.[0])).toMatch(/lines tripped +0/);
    } finally {
      write.mockRestore();
    }
  });

  it('error: bad options are usage errors (exit code 2)', async () => {
    expect(await usageFailure(cascadeCommand(CASE33, { ...MESHED }))).toBeInstanceOf(UsageError);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6-7', loadScale: '2' }))).message).toMatch(/exactly one trigger/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6/7' }))).message).toMatch(/FROM-TO bus numbers/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, loadScale: 'lots' }))).message).toMatch(/--load-scale must be a non-negative number/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6-7', mode: 'all' }))).message).toMatch(/--mode must be one of/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6-7', critical: '7,x' }))).message).toMatch(/--critical takes bus numbers/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6-7', microgrid: ['18,17'] }))).message).toMatch(/--microgrid takes BUSES:KW/);
  });

  it('error: what the case cannot do is a clear error (exit code 2)', async () => {
    expect((await usageFailure(cascadeCommand(CASE33, { trip: '6-7' }))).details.join('\n')).toMatch(/--margin PCT/);
    expect((await usageFailure(cascadeCommand(CASE33, { ...MESHED, trip: '6-40' }))).message).toMatch(/bus 40 is not in case33bw/);
    expect((await usageFailure(cascadeCommand(CASE33, { margin: '30', trip: '21-8' }))).message).toMatch(/already out of service/);
    expect((await usageFailure(cascadeCommand('/no/such/case.m', { ...MESHED, trip: '6-7' }))).message).toMatch(/no such file/);
  });
});
