/**
 * The scenario's `rogue-device` events: while one is active, the site's meter misbehaves.
 * - forged-key: the reading names the admitted meter's public key but is signed with another key;
 * - replay: the meter re-sends the last record it sent instead of this slot's reading;
 * - over-report: the meter claims three times its credential's rating, and the export that goes with it.
 * The node's reading gate must reject every such record (bad-signature, replay, implausible).
 */
import type { KeyPair } from '../identity/key-pair.js';
import { signReading, type Reading } from '../identity/signed-reading.js';
import type { Scenario } from '../sim/scenario-schema.js';
import type { SimModel } from '../sim/slot-context.js';
import { siteRatedPowerW } from './trust-setup.js';

type Behaviour = Extract<Scenario['events'][number], { kind: 'rogue-device' }>['behaviour'];

interface Window { readonly site: number; readonly startSlot: number; readonly endSlot: number; readonly behaviour: Behaviour; readonly ratedPowerW: number }

export class RogueMeters {
  private readonly windows: Window[] = [];
  private readonly lastSent = new Map<number, Uint8Array>();
  private readonly forgers = new Map<number, KeyPair>();

  private readonly slotSeconds: number;

  constructor(scenario: Scenario, model: SimModel, private readonly keyOf: (name: string) => KeyPair) {
    this.slotSeconds = model.clock.slotMinutes * 60;
    const position = new Map(model.sites.map((s, i) => [s.id, i]));
    const specs = new Map(scenario.sites.map((s) => [s.id, s]));
    const slotHours = model.clock.slotHours;
    for (const e of scenario.events) {
      if (e.kind !== 'rogue-device') continue;
      const site = position.get(e.site) as number;
      const startSlot = Math.floor(e.startHour / slotHours);
      const spec = specs.get(e.site);
      if (spec === undefined) continue;
      this.windows.push({ site, startSlot, endSlot: Math.max(startSlot + 1, Math.floor((e.startHour + e.durationHours) / slotHours)), behaviour: e.behaviour, ratedPowerW: siteRatedPowerW(spec) });
    }
  }

  /**
   * The record a rogue meter sends instead of the honest one, or null when it behaves. `sign` signs
   * with the meter's own (admitted) key.
   */
  reading(site: number, slot: number, honest: Reading, sign: (r: Reading) => Uint8Array): Uint8Array | null {
    const w = this.windows.find((x) => x.site === site && slot >= x.startSlot && slot < x.endSlot);
    if (w === undefined) return null;
    switch (w.behaviour) {
      case 'forged-key': {
        let forger = this.forgers.get(site);
        if (forger === undefined) {
          forger = this.keyOf(`forger:${site}`);
          this.forgers.set(site, forger);
        }
        return signReading(forger.privateKey, honest);
      }
      case 'replay':
        return this.lastSent.get(site) ?? null;
      case 'over-report': {
        const peakPowerW = w.ratedPowerW * 3;
        return sign({ ...honest, importWh: 0, exportWh: Math.floor((peakPowerW * this.slotSeconds) / 3600), peakPowerW });
      }
    }
  }

  /** Remembers what a meter sent (a replaying meter re-sends it). */
  sent(site: number, bytes: Uint8Array): void {
    if (this.windows.length > 0) this.lastSent.set(site, bytes);
  }
}
