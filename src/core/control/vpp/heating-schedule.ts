/**
 * Where to hold the heaters' setpoint: the forecast price of the slot being planned is ranked among
 * the forecasts of the window ahead (the slot itself and the next `windowSlots - 1`). In the
 * cheapest third the heaters pre-heat, in the dearest third they coast, otherwise they follow their
 * own thermostat. The rank is the mid-rank (ties share the mean of their ranks), so a flat price
 * stays normal; so does a window whose prices spread less than `minSpreadMinorPerKwh`.
 */
import type { HeatingShift } from '../../assets/capabilities.js';
import type { PriceHorizon } from './price-horizon.js';

/** Prices closer together than this (minor units per kWh) are not worth shifting for. */
export const HEATING_MIN_SPREAD_MINOR_PER_KWH = 1;

export function heatingShiftFor(horizon: PriceHorizon, windowSlots: number, minSpreadMinorPerKwh = HEATING_MIN_SPREAD_MINOR_PER_KWH): HeatingShift {
  const now = horizon.priceAt(0);
  if (Number.isNaN(now)) return 'normal';
  let below = 0;
  let equal = 0;
  let above = 0;
  let min = Infinity;
  let max = -Infinity;
  const end = Math.min(windowSlots, horizon.length);
  for (let j = 0; j < end; j++) {
    const p = horizon.priceAt(j);
    if (Number.isNaN(p)) continue;
    if (p < now) below++;
    else if (p === now) equal++;
    else above++;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  const known = below + equal + above;
  if (known < 2 || max - min < minSpreadMinorPerKwh) return 'normal';
  const rank = (below + (equal - 1) / 2) / (known - 1);
  if (rank < 1 / 3) return 'preheat';
  if (rank > 2 / 3) return 'coast';
  return 'normal';
}

