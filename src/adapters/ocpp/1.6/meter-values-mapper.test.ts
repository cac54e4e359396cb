import { describe, expect, it } from 'vitest';
import { mapMeterValues } from './meter-values-mapper.js';
import { OcppError } from './ocpp-errors.js';
import type { MeterValuesReq, SampledValue } from './wire-messages.js';

const T = '2025-06-01T12:00:00.000Z';

function aMeterValues(sampledValue: SampledValue[], extra: Partial<MeterValuesReq> = {}): MeterValuesReq {
  return { connectorId: 1, meterValue: [{ timestamp: T, sampledValue }], ...extra };
}

describe('mapMeterValues', () => {
  it('maps the energy register and active power into a reading', () => {
    const req = aMeterValues([
      { value: '1234.4', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
    ], { transactionId: 9 });
    expect(mapMeterValues('cp-1', req)).toEqual({
      readings: [{ chargerId: 'cp-1', connectorId: 1, timestampMs: Date.parse(T), energyWh: 1234, powerW: 7200, transactionId: 9 }],
      skipped: 0,
    });
  });

  it('reads a sample without measurand as the energy register and kWh as 1000 Wh', () => {
    const { readings } = mapMeterValues('cp-1', aMeterValues([{ value: '2.5', unit: 'kWh' }]));
    expect(readings[0]?.energyWh).toBe(2500);
    expect(readings[0]?.powerW).toBeNull();
  });

  it('sums phases L1..L3 when no total is given', () => {
    const req = aMeterValues([
      { value: '100', measurand: 'Energy.Active.Import.Register' },
      { value: '1000', measurand: 'Power.Active.Import', phase: 'L1', unit: 'W' },
      { value: '1100', measurand: 'Power.Active.Import', phase: 'L2', unit: 'W' },
      { value: '900', measurand: 'Power.Active.Import', phase: 'L3', unit: 'W' },
    ]);
    expect(mapMeterValues('cp-1', req).readings[0]?.powerW).toBe(3000);
  });

  it('skips an instant without an energy register and signed data', () => {
    const req = aMeterValues([
      { value: '230', measurand: 'Voltage', unit: 'V' },
      { value: 'c2lnbmVk', measurand: 'Energy.Active.Import.Register', format: 'SignedData' },
    ]);
    expect(mapMeterValues('cp-1', req)).toEqual({ readings: [], skipped: 1 });
  });

  it('error: rejects a value that is not a number', () => {
    const req = aMeterValues([{ value: 'lots', measurand: 'Energy.Active.Import.Register' }]);
    expect(() => mapMeterValues('cp-1', req)).toThrow(OcppError);
  });

  it('error: rejects an energy register in an unsupported unit', () => {
    const req = aMeterValues([{ value: '1', measurand: 'Energy.Active.Import.Register', unit: 'varh' }]);
    expect(() => mapMeterValues('cp-1', req)).toThrow(/unsupported unit/);
  });
});
