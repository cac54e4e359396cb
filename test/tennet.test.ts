// The TenneT case of issue 4 end to end: an evening peak triggers TSO flexibility requests, EV
// charging across the city pauses, owners are paid for verified delivery, and the peak import is
// lower than in the same run without the flexibility market.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../src/adapters/scenario-file.js';
import type { FlexibilityMetrics } from '../src/core/market/flexibility/flex-metrics.js';
import type { RunResult } from '../src/core/sim/results-types.js';
import type { Scenario } from '../src/core/sim/scenario-schema.js';
import { simulate } from '../src/core/sim/simulate.js';
import type { SlotContext } from '../src/core/sim/slot-context.js';

const FILE = join(import.meta.dirname, '..', 'examples', 'tennet-evening-peak.yaml');
const DAYS = 2;

interface FlexRun {
  run: RunResult;
  flex: Omit<FlexibilityMetrics, 'series'>;
  /** Neighbourhoods with at least one EV paused, and local hours of the slots with a TSO request. */
  neighbourhoodsWithPausedEvs: Set<string>;
  requestHours: number[];
}

function runWithFlexibility(scenario: Scenario): FlexRun {
  const neighbourhoodsWithPausedEvs = new Set<string>();
  const requestHours: number[] = [];
  // Activations last from plan to settle: a check stage (between clearing and dispatch) sees them.
  const check = (ctx: SlotContext): void => {
    const { model } = ctx;
    model.sites.forEach((site, i) => {
      if (!site.evs.some((ev) => ev.paused)) return;
      const area = model.tree.ids[model.tree.siteArea[i] as number] as string;
      neighbourhoodsWithPausedEvs.add(area.slice(0, 'nb-00'.length));
    });
  };
  const run = simulate(scenario, { days: DAYS, stages: { check: { run: check } } });
  const flex = run.metrics.market?.flexibility as FlexRun['flex'];
  const startMs = run.series.timeMs[0] as number;
  (run.series.flexRequestedKw ?? []).forEach((kw, slot) => {
    if (kw > 0) requestHours.push(new Date(startMs + slot * run.slotMinutes * 60_000 + 3_600_000).getUTCHours()); // UTC+1
  });
  return { run, flex, neighbourhoodsWithPausedEvs, requestHours };
}

/** The same scenario without the TSO's peak watch: no flexibility is requested. */
function withoutFlexibility(scenario: Scenario): Scenario {
  const { tsoPeak: _tsoPeak, ...flexibility } = scenario.market.flexibility;
  return { ...scenario, market: { ...scenario.market, flexibility } };
}

describe('examples/tennet-evening-peak.yaml', () => {
  let without: RunResult;
  let withFlex: FlexRun;

  beforeAll(async () => {
    const scenario = await loadScenarioFile(FILE);
    without = simulate(withoutFlexibility(scenario), { days: DAYS });
    withFlex = runWithFlexibility(scenario);
  });

  it('posts TSO requests in the evening peak only', () => {
    const { flex, requestHours } = withFlex;
    expect(flex.records.length).toBeGreaterThanOrEqual(DAYS);
    expect(flex.records.every((r) => r.buyer === 'tso' && r.area === 'tso' && r.direction === 'up')).toBe(true);
    expect(requestHours.length).toBeGreaterThan(0);
    expect(requestHours.every((h) => h >= 16 && h < 22)).toBe(true);
  });

  it('pauses EV charging across the city', () => {
    const { flex, neighbourhoodsWithPausedEvs } = withFlex;
    expect(flex.evPauses).toBeGreaterThan(100);
    expect(flex.evsPaused).toBeGreaterThan(50);
    expect([...neighbourhoodsWithPausedEvs].sort()).toEqual(['nb-01', 'nb-02', 'nb-03', 'nb-04']);
    // Through the VPP and on their own.
    expect(flex.byAggregator.map((a) => a.aggregator)).toEqual(['mill-quarter-ev', null]);
    expect(flex.byAggregator.every((a) => a.awardedKwh > 0)).toBe(true);
  });

  it('pays owners for verified delivery (the first evening has no baseline yet)', () => {
    const { flex } = withFlex;
    expect(flex.deliveredKwh).toBeGreaterThan(0);
    expect(flex.paidMinor).toBeGreaterThan(0);
    expect(flex.paidMinor).toBeGreaterThan(flex.penaltiesMinor);
    const [first, second] = flex.records;
    expect(first?.paidMinor).toBe(0);
    expect(first?.unverifiedKwh).toBe(first?.awardedKwh);
    expect(second?.paidMinor).toBeGreaterThan(0);
  });

  it('lowers the peak import, and the cars still leave charged', () => {
    const { run, flex } = withFlex;
    expect(run.metrics.peakImportKw).toBeLessThan(without.metrics.peakImportKw);
    expect(run.metrics.peakImportKw).toBeLessThan(0.9 * without.metrics.peakImportKw);
    expect(flex.peak?.meteredPeakKw).toBeLessThan(flex.peak?.plannedPeakKw ?? 0);
    expect(run.metrics.evUnmetKwh).toBe(without.metrics.evUnmetKwh);
  });
});
