/**
 * Setpoints to real MQTT sites (docs/mqtt.md, `commands` channel): after every slot, each site whose
 * meter is a real MQTT device and that has a battery in the twin gets the twin's battery power for
 * the next slot, addressed to its meter (the site's gateway device applies it). Sign as on every MQTT
 * channel: positive = discharge / export. A command goes only when the power changed by more than
 * `MQTT_SETPOINT_DEADBAND_W`; QoS 1, at most `MQTT_COMMANDS_IN_FLIGHT_MAX` in flight; a failed publish
 * is an alert and is sent again after the next slot.
 */
import type { MqttDeviceGateway } from '../../adapters/mqtt/mqtt-gateway.js';
import type { AlertView } from './node-view.js';

export const MQTT_SETPOINT_DEADBAND_W = 50;
export const MQTT_COMMANDS_IN_FLIGHT_MAX = 500;

export interface MqttSetpointSite {
  readonly site: number;
  readonly did: string;
  readonly area: string;
}

export class MqttSetpoints {
  private readonly lastSentW = new Map<number, number>();
  private sent = 0;

  constructor(private readonly gateway: MqttDeviceGateway, private readonly sites: readonly MqttSetpointSite[]) {}

  /** `chargeW(site)`: the twin's battery power of the site, W, positive = charge (null: no battery). */
  async follow(slot: number, chargeW: (site: number) => number | null): Promise<AlertView[]> {
    const due: { s: MqttSetpointSite; powerW: number }[] = [];
    for (const s of this.sites) {
      const w = chargeW(s.site);
      if (w === null) continue;
      const powerW = -Math.round(w);
      const last = this.lastSentW.get(s.site);
      if (last !== undefined && Math.abs(last - powerW) <= MQTT_SETPOINT_DEADBAND_W) continue;
      due.push({ s, powerW });
    }
    const alerts: AlertView[] = [];
    for (let k = 0; k < due.length; k += MQTT_COMMANDS_IN_FLIGHT_MAX) {
      await Promise.all(due.slice(k, k + MQTT_COMMANDS_IN_FLIGHT_MAX).map(async ({ s, powerW }) => {
        try {
          await this.gateway.publishCommand({ did: s.did, area: s.area }, { v: 1, commandId: `battery-${slot + 1}`, slot: slot + 1, setpointPowerW: powerW, durationSlots: 1 });
          this.lastSentW.set(s.site, powerW);
          this.sent++;
        } catch (e) {
          alerts.push({ slot, kind: 'device', device: s.did, area: s.area, message: `battery setpoint not sent: ${(e as Error).message} (sent again after the next slot)` });
        }
      }));
    }
    return alerts;
  }

  /** Commands published so far. */
  get commandsSent(): number {
    return this.sent;
  }
}
