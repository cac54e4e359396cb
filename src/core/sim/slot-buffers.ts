/**
 * Per-site energy of one slot as flat arrays (structure of arrays, indexed by internal site position),
 * reused every slot so the engine allocates nothing per site-slot. All values are integer Wh.
 *
 * `sense` fills the inputs, the balancer fills the decisions, `dispatch` applies them to devices.
 * Priority classes are indexed CRITICAL = 0, ESSENTIAL = 1, NORMAL = 2.
 */
export const CRITICAL = 0;
export const ESSENTIAL = 1;
export const NORMAL = 2;
export const PRIORITY_INDEX = { critical: CRITICAL, essential: ESSENTIAL, normal: NORMAL } as const;

export class SlotBuffers {
  // Inputs (sense).
  readonly pvWh: Float64Array;
  readonly windWh: Float64Array;
  readonly chpMinWh: Float64Array;
  readonly chpMaxWh: Float64Array;
  /** Non-deferrable demand per priority class. */
  readonly demandWh: [Float64Array, Float64Array, Float64Array];
  /** Deferrable requests (EV charging, washing machines): may be paused without counting as unserved. */
  readonly deferrableWh: Float64Array;
  readonly batteryMaxChargeWh: Float64Array;
  readonly batteryMaxDischargeWh: Float64Array;
  readonly batteryUsableWh: Float64Array;
  /** Battery energy kept back for critical load (islands). */
  readonly batteryReserveWh: Float64Array;
  /**
   * The site EMS's battery setpoint for the slot (grid-connected sites only), Wh: positive = charge
   * (from surplus first, then from the grid), negative = discharge (to the site's load, the rest
   * exported); NaN = no plan, the self-consumption rule decides.
   */
  readonly batteryPlanWh: Float64Array;

  // Decisions (balance).
  readonly chpWh: Float64Array;
  readonly curtailedWh: Float64Array;
  readonly chargeWh: Float64Array;
  readonly dischargeWh: Float64Array;
  readonly unservedWh: [Float64Array, Float64Array, Float64Array];
  readonly deferrableServedWh: Float64Array;
  /** Energy exported to the grid (after curtailment). */
  readonly exportWh: Float64Array;
  /** Import still needed per class, reduced as the balancer serves or sheds it. */
  readonly importWh: [Float64Array, Float64Array, Float64Array];
  /** Deferrable energy that would take grid surplus (islands). */
  readonly deferrableImportWh: Float64Array;
  /** Battery charging bought from the grid (part of the normal-class import), Wh. */
  readonly gridChargeWh: Float64Array;

  // Metering (after dispatch).
  /** Net exchange with the grid: positive = export, negative = import. */
  readonly netWh: Float64Array;
  readonly storedIncreaseWh: Float64Array;
  readonly storedDecreaseWh: Float64Array;
  readonly lossWh: Float64Array;

  constructor(readonly size: number) {
    const f = (): Float64Array => new Float64Array(size);
    this.pvWh = f(); this.windWh = f(); this.chpMinWh = f(); this.chpMaxWh = f();
    this.demandWh = [f(), f(), f()];
    this.deferrableWh = f();
    this.batteryMaxChargeWh = f(); this.batteryMaxDischargeWh = f(); this.batteryUsableWh = f(); this.batteryReserveWh = f();
    this.batteryPlanWh = new Float64Array(size).fill(NaN);
    this.chpWh = f(); this.curtailedWh = f(); this.chargeWh = f(); this.dischargeWh = f();
    this.unservedWh = [f(), f(), f()];
    this.deferrableServedWh = f(); this.exportWh = f();
    this.importWh = [f(), f(), f()];
    this.deferrableImportWh = f();
    this.gridChargeWh = f();
    this.netWh = f(); this.storedIncreaseWh = f(); this.storedDecreaseWh = f(); this.lossWh = f();
  }

  /** Clears the decisions of one site before the balancer runs. */
  resetDecisions(i: number): void {
    this.chpWh[i] = 0; this.curtailedWh[i] = 0; this.chargeWh[i] = 0; this.dischargeWh[i] = 0;
    this.unservedWh[0][i] = 0; this.unservedWh[1][i] = 0; this.unservedWh[2][i] = 0;
    this.deferrableServedWh[i] = 0; this.exportWh[i] = 0;
    this.importWh[0][i] = 0; this.importWh[1][i] = 0; this.importWh[2][i] = 0;
    this.deferrableImportWh[i] = 0;
    this.gridChargeWh[i] = 0;
    this.batteryReserveWh[i] = 0;
    this.batteryPlanWh[i] = NaN;
  }

  totalDemandWh(i: number): number {
    return (this.demandWh[0][i] as number) + (this.demandWh[1][i] as number) + (this.demandWh[2][i] as number);
  }

  totalUnservedWh(i: number): number {
    return (this.unservedWh[0][i] as number) + (this.unservedWh[1][i] as number) + (this.unservedWh[2][i] as number);
  }

  /**
   * The site's net exchange with the grid implied by the decisions (positive = export): generation
   * used, plus storage discharge, minus charging and the demand served.
   */
  exchangeWh(i: number): number {
    const served = this.totalDemandWh(i) + (this.deferrableServedWh[i] as number) - this.totalUnservedWh(i);
    return (this.pvWh[i] as number) + (this.windWh[i] as number) + (this.chpWh[i] as number) - (this.curtailedWh[i] as number)
      + (this.dischargeWh[i] as number) - (this.chargeWh[i] as number) - served;
  }

  totalImportWh(i: number): number {
    return (this.importWh[0][i] as number) + (this.importWh[1][i] as number) + (this.importWh[2][i] as number);
  }
}
