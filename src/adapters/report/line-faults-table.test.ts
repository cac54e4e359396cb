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
          area: 'st-<1>', section: 3, startSlot: 72, endSlot: 84, isolatedSites: 1, restoredSites: 2, islandedSites: 7, darkSites: 1,
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
