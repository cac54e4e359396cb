/**
 * SunSpec model discovery: find the 'SunS' marker at one of the base addresses, then walk the model
 * chain by each model's ID and length L until the end model (ID 0xFFFF). The walk reads through an
 * injected `RegisterReader`, so it is tested without sockets and bounded by `maxModels`.
 */
import { ModbusError } from '../modbus-errors.js';
import { END_MODEL_ID, MODEL_HEADER_REGISTERS, SUNSPEC_BASE_ADDRESSES, SUNS_MARKER } from './sunspec-models.js';

/** Reads `count` holding registers from `address`; rejects with a `ModbusError` on failure. */
export type RegisterReader = (address: number, count: number) => Promise<readonly number[]>;

export interface ModelEntry {
  readonly id: number;
  /** Address of the model's ID register. */
  readonly address: number;
  /** L: registers after the two-register header. */
  readonly length: number;
}

export interface SunSpecMap {
  readonly baseAddress: number;
  readonly models: readonly ModelEntry[];
}

export interface DiscoveryOptions {
  readonly baseAddresses?: readonly number[];
  /** Most models in the chain; a longer chain is a `bad-image` error. */
  readonly maxModels: number;
}

const LAST_ADDRESS = 0xffff;

export async function discoverModels(read: RegisterReader, options: DiscoveryOptions): Promise<SunSpecMap> {
  const baseAddress = await findBaseAddress(read, options.baseAddresses ?? SUNSPEC_BASE_ADDRESSES);
  const models: ModelEntry[] = [];
  let address = baseAddress + SUNS_MARKER.length;
  for (;;) {
    if (address + MODEL_HEADER_REGISTERS - 1 > LAST_ADDRESS) {
      throw new ModbusError('bad-image', `SunSpec model chain runs past register ${LAST_ADDRESS} without an end model`);
    }
    const [id, length] = await read(address, MODEL_HEADER_REGISTERS);
    if (id === undefined || length === undefined) throw new ModbusError('bad-image', `short read of the model header at ${address}`);
    if (id === END_MODEL_ID) return { baseAddress, models };
    if (models.length >= options.maxModels) {
      throw new ModbusError('bad-image', `more than ${options.maxModels} SunSpec models (the maxModels bound)`);
    }
    models.push({ id, address, length });
    address += MODEL_HEADER_REGISTERS + length;
  }
}

async function findBaseAddress(read: RegisterReader, candidates: readonly number[]): Promise<number> {
  const tried: string[] = [];
  for (const base of candidates) {
    let marker: readonly number[];
    try {
      marker = await read(base, SUNS_MARKER.length);
    } catch (error) {
      // An illegal-address exception means "nothing here": try the next base. Timeouts propagate.
      if (error instanceof ModbusError && error.reason === 'device-exception') {
        tried.push(`${base}: ${error.message}`);
        continue;
      }
      throw error;
    }
    if (marker[0] === SUNS_MARKER[0] && marker[1] === SUNS_MARKER[1]) return base;
    tried.push(`${base}: no 'SunS' marker`);
  }
  throw new ModbusError('not-sunspec', 'the device shows no SunSpec marker', { details: tried });
}

/** The first model with one of `ids` (in the order of `ids`), or a `model-missing` error. */
export function requireModel(map: SunSpecMap, ids: readonly number[], what: string, lengthMin: number): ModelEntry {
  for (const id of ids) {
    const model = map.models.find((m) => m.id === id);
    if (model === undefined) continue;
    if (model.length < lengthMin) {
      throw new ModbusError('bad-image', `SunSpec model ${id} has L = ${model.length}, expected at least ${lengthMin}`);
    }
    return model;
  }
  throw new ModbusError('model-missing', `the device has no SunSpec model ${ids.join(' or ')} (${what})`, {
    details: [`models found: ${map.models.map((m) => m.id).join(', ') || 'none'}`],
  });
}
