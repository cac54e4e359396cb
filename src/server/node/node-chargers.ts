/**
 * A node's EV chargers over OCPP 1.6J (docs/ocpp.md): the central system the chargers connect to,
 * and, after every settled slot, the setpoints that make each real charger follow its site's twin.
 * While the twin withholds the site's EV charging (a flexibility activation: the TenneT case; load
 * shedding; an authorised-import cap) the charger is paused with a 0 limit (SetChargingProfile), and
 * resumed (ClearChargingProfile) when the twin charges again. A command is sent only on a change;
 * one that fails is reported and tried again after the next slot.
 */
import { startOcppCentralSystem, type OcppCentralSystem } from '../../adapters/ocpp/1.6/central-system.js';
import { createChargerControl, type ChargerControl } from '../../adapters/ocpp/1.6/charger-control.js';
import { BoundedReadingBuffer } from '../../adapters/ocpp/1.6/reading-buffer.js';
import type { NodeConfig } from './node-config.js';
import type { AlertView, DeviceView } from './node-view.js';

/** MeterValues readings kept between two slots (a charger samples every few seconds). */
export const CHARGER_READINGS_MAX = 100_000;

interface ChargerState {
  readonly id: string;
  readonly site: string;
  readonly siteIndex: number;
  readonly area: string;
  readonly connectorId: number;
  paused: boolean;
  powerW: number | null;
  lastReadingSlot: number | null;
}

export class NodeChargers {
  private constructor(private readonly system: OcppCentralSystem, private readonly control: ChargerControl, private readonly buffer: BoundedReadingBuffer, private readonly chargers: readonly ChargerState[]) {}

  static async start(config: NonNullable<NodeConfig['ocpp']>, sites: ReadonlyMap<string, { index: number; area: string }>): Promise<NodeChargers> {
    const chargers = config.chargers.map((c, k): ChargerState => {
      const site = sites.get(c.site);
      if (site === undefined) throw new RangeError(`ocpp.chargers[${k}].site: no site ${JSON.stringify(c.site)} in the scenario`);
      return { id: c.id, site: c.site, siteIndex: site.index, area: site.area, connectorId: c.connectorId, paused: false, powerW: null, lastReadingSlot: null };
    });
    const buffer = new BoundedReadingBuffer(CHARGER_READINGS_MAX);
    const system = await startOcppCentralSystem({ port: config.port, host: config.host, strictMode: true, sink: buffer, allowedChargerIds: new Set(chargers.map((c) => c.id)) });
    return new NodeChargers(system, createChargerControl(system, { rateUnit: 'W' }), buffer, chargers);
  }

  /** ws://host:port: a charger connects to `${url}/${chargerId}`. */
  get url(): string {
    return this.system.url;
  }

  /**
   * After slot `slot`: takes the chargers' readings, then pauses or resumes each connected charger to
   * match `withheld(site)` (the twin withheld the site's EV charging this slot). Returns the alerts.
   */
  async follow(slot: number, withheld: (siteIndex: number) => boolean): Promise<AlertView[]> {
    for (const r of this.buffer.drain()) {
      const c = this.chargers.find((x) => x.id === r.chargerId);
      if (c === undefined) continue;
      if (r.powerW !== null) c.powerW = r.powerW;
      c.lastReadingSlot = slot;
    }
    const alerts: AlertView[] = [];
    await Promise.all(this.chargers.map(async (c) => {
      const pause = withheld(c.siteIndex);
      if (pause === c.paused || !this.system.isConnected(c.id)) return;
      try {
        if (pause) await this.control.pauseCharging(c.id, c.connectorId);
        else await this.control.resumeCharging(c.id, c.connectorId);
        c.paused = pause;
        alerts.push({ slot, kind: 'ev-paused', device: c.id, area: c.area, message: pause ? `charger ${c.id} of ${c.site} paused (0 W limit): the twin withholds its charging` : `charger ${c.id} of ${c.site} resumed` });
      } catch (e) {
        alerts.push({ slot, kind: 'device', device: c.id, area: c.area, message: `charger ${c.id}: ${pause ? 'pause' : 'resume'} failed: ${(e as Error).message} (tried again next slot)` });
      }
    }));
    return alerts;
  }

  devices(): DeviceView[] {
    return this.chargers.map((c) => ({
      did: `ocpp:${c.id}`, kind: 'charger', site: c.site, area: c.area, protocol: 'ocpp', connected: this.system.isConnected(c.id),
      credential: null, lastReadingSlot: c.lastReadingSlot, powerW: c.powerW, paused: c.paused,
    }));
  }

  async close(): Promise<void> {
    await this.system.close();
  }
}
