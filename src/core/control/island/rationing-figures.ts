/**
 * The figures islanded operation is judged by (issue 6), from a run's island periods: how long
 * critical load survived (the shortest island), how many islands kept it served throughout, and the
 * energy not served within islands by priority class.
 */
import type { IslandPeriod, RationingFigures } from '../../sim/results-types.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function rationingFigures(periods: readonly IslandPeriod[]): RationingFigures {
  const sum = (pick: (p: IslandPeriod) => number): number => round3(periods.reduce((s, p) => s + pick(p), 0));
  const survival = periods.map((p) => p.criticalSurvivalHours);
  return {
    islands: periods.length,
    islandsSurvived: periods.filter((p) => p.survivedWholePeriod).length,
    criticalSurvivalHoursMin: survival.length > 0 ? Math.min(...survival) : null,
    criticalNotServedKwh: sum((p) => p.notServedByPriorityKwh.critical),
    notServedByPriorityKwh: {
      critical: sum((p) => p.notServedByPriorityKwh.critical),
      essential: sum((p) => p.notServedByPriorityKwh.essential),
      normal: sum((p) => p.notServedByPriorityKwh.normal),
    },
    periods: periods.map((p) => ({
      area: p.area, startSlot: p.startSlot, endSlot: p.endSlot, criticalSurvivalHours: p.criticalSurvivalHours,
      survivedWholePeriod: p.survivedWholePeriod, notServedByPriorityKwh: { ...p.notServedByPriorityKwh },
    })),
  };
}
