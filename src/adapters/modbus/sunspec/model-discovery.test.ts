import { describe, expect, it } from 'vitest';
import { ModbusError } from '../modbus-errors.js';
import { discoverModels, requireModel, type RegisterReader } from './model-discovery.js';
import { MODBUS_EXCEPTION, ModbusExceptionResponse, SunSpecRegisterImage } from './sunspec-register-image.js';

function aBlock(id: number, length: number): number[] {
  return [id, length, ...new Array<number>(length).fill(0)];
}

/** A reader over an in-memory image that maps exceptions the way the transport does. */
function readerOf(image: SunSpecRegisterImage): RegisterReader {
  return async (address, count) => {
    try {
      return image.read(address, count);
    } catch (error) {
      if (error instanceof ModbusExceptionResponse) throw new ModbusError('device-exception', error.message);
      throw error;
    }
  };
}

describe('SunSpec model discovery', () => {
  it('walks the chain from the SunS marker at 40000', async () => {
    const image = new SunSpecRegisterImage(40000, [aBlock(1, 66), aBlock(103, 50), aBlock(124, 24)].map((block) => ({ block, writableOffsets: [] })));
    const map = await discoverModels(readerOf(image), { maxModels: 8 });
    expect(map).toEqual({
      baseAddress: 40000,
      models: [
        { id: 1, address: 40002, length: 66 },
        { id: 103, address: 40070, length: 50 },
        { id: 124, address: 40122, length: 24 },
      ],
    });
  });

  it('falls back to base address 0 when 40000 is not mapped', async () => {
    const image = new SunSpecRegisterImage(0, [{ block: aBlock(1, 65), writableOffsets: [] }]);
    const map = await discoverModels(readerOf(image), { maxModels: 8 });
    expect(map.baseAddress).toBe(0);
    expect(map.models.map((m) => m.id)).toEqual([1]);
  });

  it('error: no marker anywhere is not-sunspec, listing what was tried', async () => {
    const read: RegisterReader = async () => [0x1234, 0x5678];
    const error = await discoverModels(read, { maxModels: 8 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'not-sunspec' });
    expect((error as ModbusError).details).toHaveLength(3);
  });

  it('error: a chain longer than maxModels is a bad image', async () => {
    const image = new SunSpecRegisterImage(40000, [1, 2, 3].map((id) => ({ block: aBlock(id, 1), writableOffsets: [] })));
    await expect(discoverModels(readerOf(image), { maxModels: 2 })).rejects.toMatchObject({ reason: 'bad-image' });
  });

  it('error: timeouts are not mistaken for a missing marker', async () => {
    const read: RegisterReader = async () => {
      throw new ModbusError('timeout', 'no answer');
    };
    await expect(discoverModels(read, { maxModels: 2 })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('error: a required model that is absent names what was found', () => {
    const map = { baseAddress: 40000, models: [{ id: 1, address: 40002, length: 66 }] };
    expect(() => requireModel(map, [124], 'battery', 24)).toThrow(/no SunSpec model 124 \(battery\)/);
    expect(() => requireModel({ ...map, models: [{ id: 124, address: 40002, length: 10 }] }, [124], 'battery', 24)).toThrow(/L = 10/);
  });

  it('keeps Modbus exception codes for the server side', () => {
    const image = new SunSpecRegisterImage(40000, []);
    expect(() => image.read(39999, 1)).toThrow(expect.objectContaining({ modbusErrorCode: MODBUS_EXCEPTION.illegalDataAddress }));
  });
});
