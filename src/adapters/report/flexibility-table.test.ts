import { describe, expect, it } from 'vitest';
import type { FlexibilityMetrics } from '../../core/market/flexibility/flex-metrics.js';
import { flexibilitySection } from './flexibility-table.js';
import { aRunResult } from './run-result.fixture.js';
import { scenarioTime } from './scenario-time.js';

const time = scenarioTime('2025-06-01T00:00:00+02:00');

function someFlexibility(overrides: Partial<FlexibilityMetrics> = {}): FlexibilityMetrics {
  return {
    requests: 1, requestedKwh: 120, awardedKwh: 125.5, deliveredKwh: 80.25, unverifiedKwh: 10, paidMinor: 123_456, penaltiesMinor: 789,
    evPauses: 42, evsPaused: 17,
    records: [{
      id: 'tso-peak-<1>', buyer: 'tso', area: 'tso', startSlot: 72, endSlot: 84, direction: 'up', requestedKw: 55.5, requestedKwh: 120,
      awardedKwh: 125.5, deliveredKwh: 80.25, unverifiedKwh: 10, paidMinor: 123_456, penaltiesMinor: 789, sites: 31, slots: 12, coveredSlots: 10,
      noOfferSlots: 0, aboveCapSlots: 2,
    }],
    recordsOmitted: 0,
    byResource: [
      { resource: 'ev-pause', activations: 42, awardedKwh: 115, deliveredKwh: 75, paidMinor: 120_000 },
      { resource: 'heater-shift', activations: 0, awardedKwh: 0, deliveredKwh: 0, paidMinor: 0 },
    ],
    byAggregator: [
      { aggregator: 'pool<&>', awardedKwh: 100, deliveredKwh: 60, paidMinor: 100_000, penaltiesMinor: 500 },
      { aggregator: null, awardedKwh: 25.5, deliveredKwh: 20.25, paidMinor: 23_456, penaltiesMinor: 289 },
    ],
    peak: { thresholdKw: 1150, plannedPeakKw: 1600, meteredPeakKw: 1150 },
    series: { flexRequestedKw: [], flexAwardedKw: [], flexDeliveredKw: [] },
    ...overrides,
  };
}

describe('flexibility section', () => {
  it('shows the peak reduction and the payments', () => {
    const html = flexibilitySection(someFlexibility(), aRunResult(), time);
    expect(html).toContain('<h3>Flexibility</h3>');
    expect(html).toContain('<strong>1,150.0 kW</strong> metered, against 1,600.0 kW planned');
    expect(html).toContain('<strong>450.0 kW (28.1 %)</strong>');
    expect(html).toContain('paid <strong>1,234.56</strong> and penalised 7.89');
    expect(html).toContain('10.0 kWh unverified');
  });

  it('lists each request with its window in scenario time, escaped', () => {
    const html = flexibilitySection(someFlexibility(), aRunResult(), time);
    expect(html).toContain('<th scope="row">tso-peak-&lt;1&gt;</th>');
    expect(html).toContain('2025-06-01 18:00');
    expect(html).toContain('2025-06-01 21:00');
    expect(html).toContain('<td class="num">10 / 12 (2 above the price cap)</td>');
    expect(html).toContain('VPP pool&lt;&amp;&gt;');
    expect(html).toContain('Sites on their own');
  });

  it('lists only the kinds of flexibility that were used', () => {
    const html = flexibilitySection(someFlexibility(), aRunResult(), time);
    expect(html).toContain('EV charging paused');
    expect(html).not.toContain('Heating shifted');
  });

  it('says how many requests are not listed', () => {
    expect(flexibilitySection(someFlexibility({ requests: 1001, recordsOmitted: 1000 }), aRunResult(), time)).toContain('1,000 more are in the totals');
  });

  it('says so when there was no request, or no market', () => {
    expect(flexibilitySection(undefined, aRunResult(), time)).toContain('No flexibility request');
    expect(flexibilitySection(someFlexibility({ requests: 0, records: [] }), aRunResult(), time)).toContain('No flexibility request');
  });
});
