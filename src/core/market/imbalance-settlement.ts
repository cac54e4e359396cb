/**
 * Imbalance settlement: what a site metered minus what it traded (positive = it exported more or
 * imported less than traded) is settled at the imbalance prices of its area's level: a shortfall
 * pays the `short` price, a surplus receives the `long` price. Money is integer minor units,
 * rounded per site and slot.
 */
import type { AreaTree } from '../grid/area-tree.js';
import type { AreaLevel, MarketSpec } from '../sim/scenario-schema.js';
import { moneyMinor } from './market-accounts.js';
import type { ImbalanceMetrics } from './market-metrics.js';
import { LEVELS_BOTTOM_UP } from './market-levels.js';

interface Totals { shortWh: number; longWh: number; chargedMinor: number; paidMinor: number }

export class ImbalanceSettlement {
  private readonly byLevel = new Map<AreaLevel, Totals>(LEVELS_BOTTOM_UP.map((l) => [l, { shortWh: 0, longWh: 0, chargedMinor: 0, paidMinor: 0 }]));

  constructor(private readonly tree: AreaTree, private readonly prices: MarketSpec['imbalanceMinorPerKwh']) {}

  /** Settles one site's deviation (metered − traded, Wh) in `area`; returns its size in Wh. */
  settle(area: number, deviationWh: number): number {
    if (deviationWh === 0) return 0;
    const level = this.tree.levels[area] as AreaLevel;
    const t = this.byLevel.get(level) as Totals;
    if (deviationWh < 0) {
      t.shortWh -= deviationWh;
      t.chargedMinor += moneyMinor(-deviationWh, this.prices[level].short);
    } else {
      t.longWh += deviationWh;
      t.paidMinor += moneyMinor(deviationWh, this.prices[level].long);
    }
    return Math.abs(deviationWh);
  }

  metrics(): ImbalanceMetrics & { byLevel: Record<string, ImbalanceMetrics> } {
    const out = (t: Totals): ImbalanceMetrics => ({ shortKwh: Math.round(t.shortWh) / 1000, longKwh: Math.round(t.longWh) / 1000, chargedMinor: t.chargedMinor, paidMinor: t.paidMinor });
    const total: Totals = { shortWh: 0, longWh: 0, chargedMinor: 0, paidMinor: 0 };
    const byLevel: Record<string, ImbalanceMetrics> = {};
    for (const [level, t] of this.byLevel) {
      total.shortWh += t.shortWh;
      total.longWh += t.longWh;
      total.chargedMinor += t.chargedMinor;
      total.paidMinor += t.paidMinor;
      byLevel[level] = out(t);
    }
    return { ...out(total), byLevel };
  }
}
