import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import type { PlantSpec } from '../sim/scenario-schema.js';
import { createCentralPlant } from './central-plant.js';

function aPlantSpec(overrides: Partial<PlantSpec> = {}): PlantSpec {
  return {
    id: 'coal-1', area: 'tso', capacityKw: 100_000, minKw: 20_000, rampKwPerMin: 1_000,
    marginalCostMinorPerKwh: 9, ...overrides,
  };
}

describe('central plant', () => {
  it('starts at its minimum output unless told otherwise', () => {
    expect(createCentralPlant(aPlantSpec(), 15).outputKw).toBe(20_000);
    expect(createCentralPlant(aPlantSpec({ initialKw: 50_000 }), 15).outputKw).toBe(50_000);
  });

  it('offers a window of current output ± ramp × slot minutes', () => {
    const plant = createCentralPlant(aPlantSpec({ initialKw: 50_000 }), 15);
    expect(plant.minWh(0.25)).toBe(35_000 * 250);
    expect(plant.maxWh(0.25)).toBe(65_000 * 250);
  });

  it('respects ramp limits over several slots, up to capacity and back down to the minimum', () => {
    const plant = createCentralPlant(aPlantSpec(), 15);
    const up: number[] = [];
    for (let i = 0; i < 7; i++) {
      plant.dispatch(plant.maxWh(0.25), 0.25);
      up.push(plant.outputKw);
    }
    expect(up).toEqual([35_000, 50_000, 65_000, 80_000, 95_000, 100_000, 100_000]);
    const down: number[] = [];
    for (let i = 0; i < 7; i++) {
      plant.dispatch(plant.minWh(0.25), 0.25);
      down.push(plant.outputKw);
    }
    expect(down).toEqual([85_000, 70_000, 55_000, 40_000, 25_000, 20_000, 20_000]);
  });

  it('scales the ramp budget with the slot length', () => {
    const plant = createCentralPlant(aPlantSpec(), 60);
    expect(plant.maxWh(1)).toBe(80_000_000);
  });

  it('error: never ramps faster than allowed', () => {
    const plant = createCentralPlant(aPlantSpec(), 15);
    expect(() => plant.dispatch(plant.maxWh(0.25) + 1, 0.25)).toThrow(InvariantError);
  });

  it('error: a committed plant cannot be dispatched to zero', () => {
    const plant = createCentralPlant(aPlantSpec(), 15);
    expect(plant.minWh(0.25)).toBe(5_000_000);
    expect(() => plant.dispatch(0, 0.25)).toThrow(InvariantError);
  });

  it('allows zero when its minimum is zero', () => {
    const plant = createCentralPlant(aPlantSpec({ minKw: 0, initialKw: 10_000 }), 15);
    plant.dispatch(0, 0.25);
    expect(plant.outputKw).toBe(0);
  });

  it('error: asked for a slot length it was not built for', () => {
    const plant = createCentralPlant(aPlantSpec(), 15);
    expect(() => plant.maxWh(1)).toThrow(InvariantError);
  });

  it('error: rejects an initial output outside its limits', () => {
    expect(() => createCentralPlant(aPlantSpec({ initialKw: 10_000 }), 15)).toThrow(ScenarioError);
    expect(() => createCentralPlant(aPlantSpec({ minKw: 200_000 }), 15)).toThrow(ScenarioError);
  });
});
