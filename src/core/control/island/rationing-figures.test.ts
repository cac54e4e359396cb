import { describe, expect, it } from 'vitest';
import type { IslandPeriod } from '../../sim/results-types.js';
import { rationingFigures } from './rationing-figures.js';

const period = (area: string, survival: number, survived: boolean, critical: number): IslandPeriod => ({
  area, startSlot: 8, endSlot: 48, minutes: 600, gridFormer: null, criticalSurvivalHours: survival, survivedWholePeriod: survived,
  notServedByPriorityKwh: { critical, essential: 0.1, normal: 0.2 },
});

describe('rationingFigures', () => {
  it('takes the shortest survival and adds up what was not served, over all island periods', () => {
    const f = rationingFigures([period('a', 10, true, 0), period('b', 3.25, false, 1.5), period('c', 10, true, 0)]);
    expect(f).toMatchObject({ islands: 3, islandsSurvived: 2, criticalSurvivalHoursMin: 3.25, criticalNotServedKwh: 1.5 });
    expect(f.notServedByPriorityKwh).toEqual({ critical: 1.5, essential: 0.3, normal: 0.6 });
    expect(f.periods.map((p) => p.area)).toEqual(['a', 'b', 'c']);
    expect(f.periods[0]).not.toHaveProperty('gridFormer');
  });

  it('has no shortest survival without islands', () => {
    expect(rationingFigures([]).criticalSurvivalHoursMin).toBeNull();
  });
});
