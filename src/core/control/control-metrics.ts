/**
 * What the forecasting agents and the site EMS (issue 6) report in `results.json` (`metrics.control`)
 * and the time series they add. Energies in kWh, money in minor currency units, powers in kW.
 */

export type ForecastTarget = 'load' | 'pv' | 'wind' | 'price';

/** Accuracy of one target's forecasts over the evaluated slots. */
export interface ForecastAccuracy {
  /** The model that produced the forecasts (e.g. `ridge`). */
  model: string;
  mae: number;
  rmse: number;
  /** 1 − MAE_model / MAE_seasonal_naive; null when seasonal naive is exact (e.g. no wind at all). */
  skill: number | null;
  /** Unit of mae and rmse (kW for power targets, minor units per kWh for price). */
  unit: string;
  /** MAE of seasonal naive (same slot yesterday) over the same slots. */
  seasonalNaiveMae: number;
  /** Forecast slots evaluated. */
  evaluatedSlots: number;
}

/** Figures of the sites planned by model-predictive control, over the run. */
export interface EmsMetrics {
  sites: number;
  plans: number;
  /** Plans solved to optimality by the LP/MILP solver, and plans that fell back to the heuristic (by reason). */
  solved: number;
  fallbacks: number;
  fallbackReasons: Record<string, number>;
  /** Mean and worst solve time per plan, ms (wall clock of the solver; excluded from the results hash). */
  solveMsMean?: number;
  solveMsMax?: number;
  /** Energy cost of the EMS sites: imports at their buy price minus exports at their sell price, minor units. */
  costMinor: number;
  /** Highest import of any one slot summed over the EMS sites, kW. */
  peakImportKw: number;
  /** Share of the EMS sites' own generation used on site (load or storage), percent. */
  selfConsumptionPct: number;
  importKwh: number;
  exportKwh: number;
  /** What the owners felt: heating outside the comfort band (K·h), EV energy missing at departure, washing jobs late. */
  comfortViolationKh: number;
  evUnmetKwh: number;
  washingMissedDeadlines: number;
  /** The same figures from the run without EMS (devices run naively), when it was run. */
  withoutEms?: EmsOutcome;
}

/** The figures an EMS run and its comparison run without EMS share. */
export type EmsOutcome = Pick<EmsMetrics, 'costMinor' | 'peakImportKw' | 'selfConsumptionPct' | 'importKwh' | 'exportKwh' | 'comfortViolationKh' | 'evUnmetKwh' | 'washingMissedDeadlines'>;

export interface ControlMetrics {
  /** Online forecasts made during the run (day-ahead, scored against what happened). */
  forecast?: Partial<Record<ForecastTarget, ForecastAccuracy>>;
  ems?: EmsMetrics;
}

/** Time-series columns added by the forecasting stage: the day-ahead forecast of each slot, kW. */
export interface ControlSeries {
  forecastDemandKw: number[];
  forecastPvKw: number[];
}
