/**
 * Turns a solver's fractional energies per slot into whole Wh that follow the running total rather
 * than each slot: slot t gets floor(Σ_{≤t} x) − (whole Wh already given), within its own limit.
 * Each slot moves by less than 1 Wh, and the total stays within 1 Wh of the solver's, so a
 * device's energy over the horizon (an EV's need, a heater's heat) is kept; rounding every slot
 * down would lose up to a Wh per slot. Never above the per-slot or total limit, never below 0.
 */

/** Slack that keeps a solver's 2999.9999999 from becoming 2999. */
const SNAP_WH = 1e-6;

export function roundCumulativeWh(values: ArrayLike<number>, maxWhAt: (t: number) => number, totalMaxWh = Infinity): Float64Array {
  const out = new Float64Array(values.length);
  let running = 0;
  let given = 0;
  for (let t = 0; t < values.length; t++) {
    running += Math.max(0, values[t] as number);
    const want = Math.floor(running + SNAP_WH) - given;
    const e = Math.max(0, Math.min(want, Math.floor(maxWhAt(t)), Math.floor(totalMaxWh) - given));
    out[t] = e;
    given += e;
  }
  return out;
}
