/**
 * Behind-the-meter rule of a site (the simple EMS until the MPC of issue 6): the site's own
 * generation serves its own demand, critical first; its battery covers what is left and stores
 * surplus; the rest is the site's import need per priority class, or its export.
 *
 * In an island, storage above the island's critical reserve (`batteryReserveWh`) may serve
 * essential and normal load, and deferrable loads (EVs, washing machines) only take surplus after
 * the battery (grid-connected, they are served like normal load).
 *
 * A grid-connected site whose EMS planned its battery (`batteryPlanWh`, see slot-buffers.ts) follows
 * the plan instead of the rule: it charges the planned energy (surplus first, the rest bought from
 * the grid as normal-class import, recorded in `gridChargeWh`), or discharges it (serving its own load
 * by priority first, exporting the rest), within this slot's battery limits.
 */
import type { SlotBuffers } from '../sim/slot-buffers.js';

export function selfConsume(b: SlotBuffers, i: number, island: boolean): void {
  let supply = (b.pvWh[i] as number) + (b.windWh[i] as number) + (b.chpMinWh[i] as number);
  b.chpWh[i] = b.chpMinWh[i] as number;
  const need0 = b.demandWh[0][i] as number;
  const need1 = b.demandWh[1][i] as number;
  const need2 = b.demandWh[2][i] as number;
  const deferrable = b.deferrableWh[i] as number;

  // Local generation, by priority.
  const s0 = Math.min(supply, need0); supply -= s0;
  const s1 = Math.min(supply, need1); supply -= s1;
  const s2 = Math.min(supply, need2); supply -= s2;
  const sd = island ? 0 : Math.min(supply, deferrable); supply -= sd;
  let rest0 = need0 - s0;
  let rest1 = need1 - s1;
  let rest2 = need2 - s2;
  let restD = deferrable - sd;

  const plan = island ? NaN : (b.batteryPlanWh[i] as number);
  const planned = !Number.isNaN(plan);
  // Battery discharge for what is left; non-critical use stays above the reserve in an island.
  let dischargeAll = planned ? Math.min(Math.max(0, -plan), b.batteryMaxDischargeWh[i] as number) : (b.batteryMaxDischargeWh[i] as number);
  let dischargeNonCritical = island
    ? Math.min(dischargeAll, Math.max(0, (b.batteryUsableWh[i] as number) - (b.batteryReserveWh[i] as number)))
    : dischargeAll;
  let discharged = 0;
  const d0 = Math.min(rest0, dischargeAll); rest0 -= d0; discharged += d0; dischargeAll -= d0;
  dischargeNonCritical = Math.min(dischargeNonCritical, dischargeAll);
  const d1 = Math.min(rest1, dischargeNonCritical); rest1 -= d1; dischargeNonCritical -= d1; discharged += d1;
  const d2 = Math.min(rest2, dischargeNonCritical); rest2 -= d2; dischargeNonCritical -= d2; discharged += d2;
  if (!island) {
    const dd = Math.min(restD, dischargeNonCritical); restD -= dd; dischargeNonCritical -= dd; discharged += dd;
  }
  // A planned discharge beyond the site's own load is exported.
  if (planned && dischargeNonCritical > 0) {
    discharged += dischargeNonCritical;
    supply += dischargeNonCritical;
  }
  b.dischargeWh[i] = discharged;

  // Surplus charges the battery (never while it discharges), then (island) own deferrable loads.
  let charged = 0;
  let gridCharge = 0;
  if (planned) {
    const target = Math.min(Math.max(0, plan), b.batteryMaxChargeWh[i] as number);
    charged = Math.min(supply, target);
    supply -= charged;
    gridCharge = target - charged;
    charged = target;
  } else if (discharged === 0 && supply > 0) {
    charged = Math.min(supply, b.batteryMaxChargeWh[i] as number);
    supply -= charged;
  }
  b.chargeWh[i] = charged;
  b.gridChargeWh[i] = gridCharge;
  let deferrableServed = deferrable - restD;
  if (island) {
    const own = Math.min(supply, restD);
    supply -= own; restD -= own; deferrableServed += own;
  }
  b.deferrableServedWh[i] = deferrableServed;

  b.exportWh[i] = supply;
  b.importWh[0][i] = rest0;
  b.importWh[1][i] = rest1;
  b.importWh[2][i] = rest2;
  b.deferrableImportWh[i] = restD;
  if (!island) {
    // Grid-connected, deferrable load imports like normal load; if the normal class is shed later,
    // that part is paused rather than counted as unserved (see pauseShedDeferrable).
    b.importWh[2][i] = rest2 + restD + gridCharge;
    b.deferrableServedWh[i] = deferrable;
  }
}
