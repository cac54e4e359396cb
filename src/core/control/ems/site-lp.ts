/**
 * The site's planning problem as a linear program (a MILP when it has washers or a slot that sells
 * above its buy price). Variables are energies per slot in Wh, temperatures in °C; the objective is
 * in minor units. The formulation, row by row, is in docs/ems.md.
 */
import { LpModel } from './lp-model.js';
import type { LpTerm } from './lp-text.js';
import { heaterGainKPerWh } from './heater-thermal.js';
import type { PlanBounds } from './plan-bounds.js';
import type { HeaterPlanInput, SitePlanInput } from './site-plan-input.js';

/** Variable names, shared with the code that reads a solution back. */
export const lpNames = {
  import: (t: number) => `imp_${t}`,
  export: (t: number) => `xpt_${t}`,
  curtail: (t: number) => `cur_${t}`,
  charge: (t: number) => `chg_${t}`,
  discharge: (t: number) => `dis_${t}`,
  stored: (t: number) => `soc_${t}`,
  ev: (i: number, t: number) => `ev${i}_${t}`,
  evUnmet: (i: number) => `evu${i}`,
  heater: (i: number, t: number) => `ht${i}_${t}`,
  indoor: (i: number, t: number) => `tin${i}_${t}`,
  belowComfort: (i: number, t: number) => `tlo${i}_${t}`,
  aboveComfort: (i: number, t: number) => `thi${i}_${t}`,
  washerStart: (j: number, s: number) => `ws${j}_${s}`,
  washerOutside: (j: number) => `wx${j}`,
  direction: (t: number) => `dir_${t}`,
  peak: 'peak_imp',
  overImport: 'over_imp',
} as const;

const perWh = (minorPerKwh: number): number => minorPerKwh / 1000;

function maxCycleWh(input: SitePlanInput): number {
  return input.washers.reduce((s, w) => s + Math.max(0, ...w.cycleWh), 0);
}

/**
 * Rounding to whole Wh moves each device's energy in a slot by less than this (lp-solution.ts), so
 * the LP keeps this much clear of the import cap per rounded device, and of the battery's band, so
 * that the rounded plan still keeps them (docs/ems.md, "Rounding").
 */
export const ROUNDING_MARGIN_WH = 1;

/** Devices whose energy in slot t is rounded. */
function roundedSeriesAt(bounds: PlanBounds, t: number): number {
  const bb = bounds.battery;
  let n = bb !== undefined && (bb.maxChargeWh > 0 || bb.maxDischargeWh > 0) ? 1 : 0;
  for (const ev of bounds.evs) if (t >= ev.firstSlot && t <= ev.lastSlot && ev.maxWh > 0) n++;
  for (const m of bounds.heaterMaxWh) if (m > 0) n++;
  return n;
}

/** Upper bounds of import and export per slot: what the site could possibly use or spare, and the cap less the margin. */
function flowBounds(input: SitePlanInput, bounds: PlanBounds, t: number): { importMaxWh: number; exportMaxWh: number } {
  const base = input.baseLoadWh[t] as number;
  const gen = input.generationWh[t] as number;
  let demandMaxWh = base + maxCycleWh(input) + (bounds.battery?.maxChargeWh ?? 0);
  for (const ev of bounds.evs) if (t >= ev.firstSlot && t <= ev.lastSlot) demandMaxWh += ev.maxWh;
  for (const m of bounds.heaterMaxWh) demandMaxWh += m;
  // Never below the base load's own shortfall, so the LP stays feasible with every device off.
  const capWh = Math.max((bounds.importCapWh[t] as number) - ROUNDING_MARGIN_WH * roundedSeriesAt(bounds, t), base - gen, 0);
  return {
    importMaxWh: Math.min(capWh, demandMaxWh),
    exportMaxWh: gen + (bounds.battery?.maxDischargeWh ?? 0),
  };
}

/** Import, export, curtailment and the slot's balance row; `deviceTerms[t]` are the devices' consumption terms. */
function addBalance(m: LpModel, input: SitePlanInput, bounds: PlanBounds, deviceTerms: LpTerm[][]): void {
  for (let t = 0; t < input.horizon; t++) {
    const { importMaxWh, exportMaxWh } = flowBounds(input, bounds, t);
    const buy = input.buyMinorPerKwh[t] as number;
    const sell = input.sellMinorPerKwh[t] as number;
    const gen = input.generationWh[t] as number;
    const imp = m.variable(lpNames.import(t), { upper: importMaxWh, cost: perWh(buy) });
    const xpt = m.variable(lpNames.export(t), { upper: exportMaxWh, cost: -perWh(sell) });
    const terms: LpTerm[] = [{ coef: 1, name: imp }, { coef: -1, name: xpt }];
    if (gen > 0) terms.push({ coef: -1, name: m.variable(lpNames.curtail(t), { upper: gen }) });
    for (const d of deviceTerms[t] ?? []) terms.push({ coef: -d.coef, name: d.name });
    m.row(`bal_${t}`, terms, '=', (input.baseLoadWh[t] as number) - gen);
    // Where selling pays more than buying, the meter's one direction per slot must be explicit.
    if (sell > buy && importMaxWh > 0 && exportMaxWh > 0) {
      const dir = m.variable(lpNames.direction(t), { binary: true });
      m.row(`dimp_${t}`, [{ coef: 1, name: imp }, { coef: -importMaxWh, name: dir }], '<=', 0);
      m.row(`dxpt_${t}`, [{ coef: 1, name: xpt }, { coef: exportMaxWh, name: dir }], '<=', exportMaxWh);
    }
  }
}

function addBattery(m: LpModel, input: SitePlanInput, bounds: PlanBounds, deviceTerms: LpTerm[][]): void {
  const b = input.battery;
  const bb = bounds.battery;
  if (b === undefined || bb === undefined) return;
  const wear = perWh(b.wearMinorPerKwh);
  // The band less the rounding margin on each side, where it is wide enough; never excluding the start.
  const margin = bb.ceilingWh - bb.floorWh > 4 * ROUNDING_MARGIN_WH ? ROUNDING_MARGIN_WH : 0;
  const floorWh = Math.min(b.storedWh, bb.floorWh + margin);
  const ceilingWh = Math.max(b.storedWh, bb.ceilingWh - margin);
  for (let t = 0; t < input.horizon; t++) {
    const chg = m.variable(lpNames.charge(t), { upper: bb.maxChargeWh, cost: wear });
    const dis = m.variable(lpNames.discharge(t), { upper: bb.maxDischargeWh, cost: wear });
    const soc = m.variable(lpNames.stored(t), { lower: floorWh, upper: ceilingWh });
    deviceTerms[t]?.push({ coef: 1, name: chg }, { coef: -1, name: dis });
    const terms: LpTerm[] = [{ coef: 1, name: soc }, { coef: -b.chargeEfficiency, name: chg }, { coef: 1 / b.dischargeEfficiency, name: dis }];
    if (t > 0) terms.push({ coef: -1, name: lpNames.stored(t - 1) });
    m.row(`soc_bal_${t}`, terms, '=', t === 0 ? b.storedWh : 0);
  }
  const value = input.storedValueMinorPerKwh ?? 0;
  if (value !== 0) m.addCost(lpNames.stored(input.horizon - 1), -perWh(value));
}

function addEvs(m: LpModel, input: SitePlanInput, bounds: PlanBounds, deviceTerms: LpTerm[][]): void {
  bounds.evs.forEach((ev, i) => {
    if (ev.lastSlot < ev.firstSlot || ev.maxWh === 0) return;
    const energy: LpTerm[] = [];
    for (let t = ev.firstSlot; t <= ev.lastSlot; t++) {
      const name = m.variable(lpNames.ev(i, t), { upper: ev.maxWh });
      energy.push({ coef: 1, name });
      deviceTerms[t]?.push({ coef: 1, name });
    }
    const unmet = m.variable(lpNames.evUnmet(i), { upper: ev.needInsideWh, cost: perWh(input.penalties.unmetEvMinorPerKwh) });
    m.row(`evneed${i}`, [...energy, { coef: 1, name: unmet }], '>=', ev.needInsideWh);
    if (ev.totalMaxWh < ev.maxWh * energy.length) m.row(`evmax${i}`, energy, '<=', ev.totalMaxWh);
  });
}

function addHeater(m: LpModel, input: SitePlanInput, h: HeaterPlanInput, i: number, maxWh: number, deviceTerms: LpTerm[][]): void {
  const comfort = input.penalties.comfortMinorPerKelvinSlot;
  for (let t = 0; t < input.horizon; t++) {
    const e = m.variable(lpNames.heater(i, t), { upper: maxWh });
    const tin = m.variable(lpNames.indoor(i, t), { lower: -Infinity });
    const lo = m.variable(lpNames.belowComfort(i, t), { cost: comfort });
    const hi = m.variable(lpNames.aboveComfort(i, t), { cost: comfort });
    deviceTerms[t]?.push({ coef: 1, name: e });
    // T_t − decay·T_{t−1} − gain·e_t = (1 − decay)·T_out (T_{−1} = the indoor temperature now).
    const terms: LpTerm[] = [{ coef: 1, name: tin }, { coef: -heaterGainKPerWh(h, t, input.slotHours), name: e }];
    let rhs = (1 - h.decay) * (h.outdoorC[t] as number);
    if (t > 0) terms.push({ coef: -h.decay, name: lpNames.indoor(i, t - 1) });
    else rhs += h.decay * h.indoorC;
    m.row(`th${i}_${t}`, terms, '=', rhs);
    m.row(`tmin${i}_${t}`, [{ coef: 1, name: tin }, { coef: 1, name: lo }], '>=', h.comfortMinC);
    m.row(`tmax${i}_${t}`, [{ coef: 1, name: tin }, { coef: -1, name: hi }], '<=', h.comfortMaxC);
  }
}

function addWashers(m: LpModel, input: SitePlanInput, bounds: PlanBounds, deviceTerms: LpTerm[][]): void {
  bounds.washers.forEach((wb, j) => {
    if (wb.lastStart < wb.firstStart) return; // nothing to decide: it starts after the horizon
    const w = input.washers[j];
    if (w === undefined) return;
    const options: LpTerm[] = [];
    for (let s = wb.firstStart; s <= wb.lastStart; s++) {
      const y = m.variable(lpNames.washerStart(j, s), { binary: true, cost: wb.tailCostMinor[s - wb.firstStart] as number });
      options.push({ coef: 1, name: y });
      for (let k = 0; k < w.cycleWh.length && s + k < input.horizon; k++) {
        const wh = w.cycleWh[k] as number;
        if (wh > 0) deviceTerms[s + k]?.push({ coef: wh, name: y });
      }
    }
    options.push({ coef: 1, name: m.variable(lpNames.washerOutside(j), { binary: true, cost: wb.outsideCostMinor }) });
    m.row(`wone${j}`, options, '=', 1);
  });
}

/** Peak import (a variable above every slot's import) and import beyond the allowance. */
function addImportTerms(m: LpModel, input: SitePlanInput): void {
  const peak = input.peakMinorPerKwh ?? 0;
  if (peak > 0) {
    const p = m.variable(lpNames.peak, { cost: perWh(peak) });
    for (let t = 0; t < input.horizon; t++) m.row(`pk_${t}`, [{ coef: 1, name: p }, { coef: -1, name: lpNames.import(t) }], '>=', 0);
  }
  if (Number.isFinite(input.importAllowanceWh)) {
    const over = m.variable(lpNames.overImport, { cost: perWh(input.penalties.overImportMinorPerKwh) });
    const terms: LpTerm[] = [{ coef: -1, name: over }];
    for (let t = 0; t < input.horizon; t++) terms.push({ coef: 1, name: lpNames.import(t) });
    m.row('allowance', terms, '<=', input.importAllowanceWh);
  }
}

/** Builds the model of a validated input. */
export function buildSiteLp(input: SitePlanInput, bounds: PlanBounds): LpModel {
  const m = new LpModel();
  // Device consumption per slot (discharge as negative consumption), collected before the balance rows.
  const deviceTerms: LpTerm[][] = Array.from({ length: input.horizon }, () => []);
  addBattery(m, input, bounds, deviceTerms);
  addEvs(m, input, bounds, deviceTerms);
  input.heaters.forEach((h, i) => addHeater(m, input, h, i, bounds.heaterMaxWh[i] ?? 0, deviceTerms));
  addWashers(m, input, bounds, deviceTerms);
  addBalance(m, input, bounds, deviceTerms);
  addImportTerms(m, input);
  return m;
}
