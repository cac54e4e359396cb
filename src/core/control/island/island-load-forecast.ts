/**
 * What an island's controller needs to know about the coming slots to ration storage: how much
 * critical load local generation will leave to storage, and how much essential and normal load will
 * compete with charging for any surplus.
 *
 * The default is the seasonal forecast of seasonal-island-forecast.ts (same time of day over the last
 * week, generation scaled to how sunny and windy it has recently been). A learned model, such as the
 * ridge-regression forecasters of control/forecast/, plugs in by implementing this interface and
 * being passed to the controller (`IslandControllerOptions.forecast`); it then sees the island's
 * sites and the slot, and nothing else changes. Forecasts are point forecasts: the rationing plan
 * adds its own safety margin (rationing-plan.ts), so a model should not add one of its own.
 *
 * Both methods write `slots` values into `out[0..slots)`; value 0 is the current slot, whose sensed
 * demand and generation are known. Energies are Wh per slot summed over `sites` (site positions).
 */
export interface IslandLoadForecast {
  /**
   * Critical demand minus variable generation (PV, wind) minus CHP capacity: positive = storage has
   * to supply it, negative = a surplus that may charge storage.
   */
  netCriticalWh(sites: ArrayLike<number>, fromSlot: number, slots: number, out: Float64Array): void;
  /** Essential plus normal demand (served before storage charges from a surplus). */
  nonCriticalWh(sites: ArrayLike<number>, fromSlot: number, slots: number, out: Float64Array): void;
}
