import { describe, expect, it } from 'vitest';
import type { IslandPeriod, RationingFigures, RationingMetrics } from '../../core/sim/results-types.js';
import { rationingSection } from './rationing-section.js';

const period = (o: Partial<IslandPeriod> = {}): IslandPeriod => ({
  area: 'linden', startSlot: 360, endSlot: 600, minutes: 3600, gridFormer: 'linden-battery', criticalSurvivalHours: 60, survivedWholePeriod: true,
  notServedByPriorityKwh: { critical: 0, essential: 44.6, normal: 467.5 }, ...o,
});

const simpleRule: RationingFigures = {
  islands: 1, islandsSurvived: 0, criticalSurvivalHoursMin: 49.75, criticalNotServedKwh: 29.4,
  notServedByPriorityKwh: { critical: 29.4, essential: 69.8, normal: 366.6 },
  periods: [{ ...period({ criticalSurvivalHours: 49.75, survivedWholePeriod: false, notServedByPriorityKwh: { critical: 29.4, essential: 69.8, normal: 366.6 } }) }],
};

const rationing: RationingMetrics = {
  strategy: 'forecast', islands: 1, islandsSurvived: 1, criticalSurvivalHoursMin: 60, criticalNotServedKwh: 0,
  notServedByPriorityKwh: { critical: 0, essential: 44.6, normal: 467.5 }, peerMessages: 1312, planDisagreements: 0, simpleRule,
};

describe('rationing section of the report', () => {
  it('shows survival hours and energy not served by priority, forecast rule next to the simple rule, per island and in total', () => {
    const html = rationingSection({ slotMinutes: 15, metrics: { rationing, islands: [period()] } as never });
    expect(html).toContain('critical-load survival');
    expect(html).toContain('<strong>forecast rule</strong>');
    expect(html).toContain('1 of 1 island period kept critical load served throughout');
    expect(html).toContain('With the simple rule on the same scenario: 0 of 1 island period kept critical load served throughout, shortest survival 49.75 h, critical load not served 29.4 kWh');
    expect(html).toContain('1,312 messages');
    expect(html).toContain('computed the same plan');
    // One row per rule for the island, then the totals.
    expect(html).toMatch(/<th scope="row">linden<\/th><td>forecast<\/td><td class="num">60.00<\/td><td class="num">60.00<\/td><td>yes<\/td><td class="num">0.0<\/td><td class="num">44.6<\/td><td class="num">467.5<\/td>/);
    expect(html).toMatch(/<th scope="row">linden<\/th><td>simple<\/td><td class="num">60.00<\/td><td class="num">49.75<\/td><td><strong>no<\/strong><\/td><td class="num">29.4<\/td>/);
    expect(html).toContain('All islands');
    expect(html).toContain('shortest 49.75');
  });

  it('flags plan disagreements and escapes area names', () => {
    const html = rationingSection({ slotMinutes: 15, metrics: { rationing: { ...rationing, planDisagreements: 3, simpleRule: undefined }, islands: [period({ area: 'a<b>' })] } as never });
    expect(html).toContain('<strong>3 plans disagreed</strong>');
    expect(html).toContain('a&lt;b&gt;');
    expect(html).not.toContain('<td>simple</td>');
  });

  it('is empty for a run without islands', () => {
    expect(rationingSection({ slotMinutes: 15, metrics: { islands: [] } as never })).toBe('');
  });
});
