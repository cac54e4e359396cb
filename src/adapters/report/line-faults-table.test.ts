import { describe, expect, it } from 'vitest';
import { lineFaultsTable } from './line-faults-table.js';
import { aRunResult } from './run-result.fixture.js';
import { scenarioTime } from './scenario-time.js';

const time = scenarioTime('2025-06-01T00:00:00+02:00');

describe('line faults table', () => {
  it('lists each fault with its switching sequence, escaped', () => {
    const run = aRunResult({
      metrics: {
        lineFaults: [{
          area: 'st-<1>', section: 3, branch: null, startSlot: 72, endSlot: 84, isolatedSites: 1, restoredSites: 2, restoredViaTieSites: 0, islandedSites: 7, darkSites: 1,
          restorationTimeS: 30, steps: [{ timeS: 0, action: 'trip', note: 'breaker <trips>' }, { timeS: 30, action: 'island', note: 'island' }],
        }],
      },
    });
    const html = lineFaultsTable(run, time);
    expect(html).toContain('st-&lt;1&gt;');
    expect(html).toContain('0 s trip: breaker &lt;trips&gt;');
    expect(html).toContain('<td class="num">7</td>');
  });

  it('says so when there was none', () => {
    expect(lineFaultsTable(aRunResult(), time)).toContain('No line fault');
  });
});

describe('cascades table', () => {
  it('shows the size of each cascade', async () => {
    const { cascadesTable } = await import('./cascades-table.js');
    const run = aRunResult({
      metrics: {
        cascades: [{
          area: 'n1', trip: '6-7', startSlot: 10, endSlot: 20, linesTripped: 17, busesLost: 21, busesShed: 0,
          loadLostKw: 2175, loadShedKw: 0, darkSites: 30, islandedSites: 0, rounds: 2,
        }],
      },
    });
    const html = cascadesTable(run, time);
    expect(html).toContain('<td class="num">17</td>');
    expect(cascadesTable(aRunResult(), time)).toContain('No overload cascade');
  });
});
