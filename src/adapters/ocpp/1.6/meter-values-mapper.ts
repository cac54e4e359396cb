/**
 * MeterValues.req → ChargerReading[] (pure). Per sampled instant it takes
 * Energy.Active.Import.Register (the default measurand when none is named) in Wh or kWh and
 * Power.Active.Import in W or kW. A value without a phase is the total; without one, the phases
 * L1, L2, L3 are summed. Signed meter data and instants without an energy register are skipped
 * (counted in `skipped`), other measurands are ignored.
 */
import type { ChargerReading } from './charger-reading.js';
import { OcppError } from './ocpp-errors.js';
import type { MeterValue, MeterValuesReq, SampledValue } from './wire-messages.js';

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';
const ENERGY_SCALE: Record<string, number> = { Wh: 1, kWh: 1000 };
const POWER_SCALE: Record<string, number> = { W: 1, kW: 1000 };
const LINE_PHASES = new Set(['L1', 'L2', 'L3']);

export interface MappedMeterValues {
  readonly readings: ChargerReading[];
  /** meterValue entries that carried no usable energy register. */
  readonly skipped: number;
}

export function mapMeterValues(chargerId: string, req: MeterValuesReq): MappedMeterValues {
  const readings: ChargerReading[] = [];
  let skipped = 0;
  for (const [index, entry] of req.meterValue.entries()) {
    const reading = mapEntry(chargerId, req, entry, `meterValue.${index}`);
    if (reading) readings.push(reading);
    else skipped += 1;
  }
  return { readings, skipped };
}

function mapEntry(chargerId: string, req: MeterValuesReq, entry: MeterValue, path: string): ChargerReading | null {
  const raw = entry.sampledValue.filter((s) => s.format !== 'SignedData');
  const energy = total(raw.filter((s) => (s.measurand ?? ENERGY) === ENERGY), ENERGY_SCALE, 'Wh', path);
  if (energy === null) return null;
  const power = total(raw.filter((s) => s.measurand === POWER), POWER_SCALE, 'W', path);
  return {
    chargerId,
    connectorId: req.connectorId,
    timestampMs: Date.parse(entry.timestamp),
    energyWh: Math.round(energy),
    powerW: power,
    transactionId: req.transactionId ?? null,
  };
}

/** The total of one measurand in base units, or null when none was sampled. */
function total(samples: readonly SampledValue[], scale: Record<string, number>, baseUnit: string, path: string): number | null {
  const whole = samples.find((s) => s.phase === undefined);
  if (whole) return toBase(whole, scale, baseUnit, path);
  const phases = samples.filter((s) => s.phase !== undefined && LINE_PHASES.has(s.phase));
  if (phases.length === 0) return null;
  return phases.reduce((sum, s) => sum + toBase(s, scale, baseUnit, path), 0);
}

function toBase(sample: SampledValue, scale: Record<string, number>, baseUnit: string, path: string): number {
  const unit = sample.unit ?? baseUnit;
  const factor = scale[unit];
  if (factor === undefined) {
    throw new OcppError('bad-payload', `unsupported unit for ${sample.measurand ?? ENERGY}`, {
      details: [`${path}: expected one of ${Object.keys(scale).join(', ')}, got ${unit}`],
    });
  }
  const value = Number(sample.value);
  if (sample.value.trim() === '' || !Number.isFinite(value)) {
    throw new OcppError('bad-payload', 'sampled value is not a number', { details: [`${path}: got "${sample.value}"`] });
  }
  return value * factor;
}
