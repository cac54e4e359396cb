/**
 * A SunSpec register image for simulators: the 'SunS' marker, a chain of model blocks and the end
 * model, laid out from a base address. Reads and writes outside the image, and writes to points not
 * declared writable, fail with the Modbus exception a real device would return.
 */
import { END_MODEL_ID, SUNS_MARKER } from './sunspec-models.js';

/** Modbus exception codes a server returns (Modbus application protocol, section 7). */
export const MODBUS_EXCEPTION = { illegalFunction: 1, illegalDataAddress: 2, illegalDataValue: 3, deviceFailure: 4 } as const;

/** Thrown by a server-side handler; modbus-serial's ServerTCP answers with `modbusErrorCode`. */
export class ModbusExceptionResponse extends Error {
  override readonly name = 'ModbusExceptionResponse';
  constructor(readonly modbusErrorCode: number, message: string) {
    super(message);
  }
}

export interface ImageModel {
  /** The model block from its ID register (ID, L, points). */
  readonly block: readonly number[];
  /** Offsets (from the ID register) that a client may write. */
  readonly writableOffsets: readonly number[];
}

export class SunSpecRegisterImage {
  private readonly registers: number[];
  private readonly writable = new Set<number>();
  private readonly modelAddresses = new Map<number, number>();

  constructor(readonly baseAddress: number, models: readonly ImageModel[]) {
    this.registers = [...SUNS_MARKER];
    for (const model of models) {
      const id = model.block[0];
      if (id === undefined || model.block[1] !== model.block.length - 2) throw new Error(`model block ${id} has a wrong length header`);
      const address = baseAddress + this.registers.length;
      this.modelAddresses.set(id, address);
      for (const offset of model.writableOffsets) this.writable.add(address + offset);
      this.registers.push(...model.block);
    }
    this.registers.push(END_MODEL_ID, 0);
  }

  /** Address of a model's ID register. */
  modelAddress(modelId: number): number {
    const address = this.modelAddresses.get(modelId);
    if (address === undefined) throw new Error(`model ${modelId} is not in the image`);
    return address;
  }

  get(modelId: number, offset: number): number {
    return this.registers[this.modelAddress(modelId) - this.baseAddress + offset] ?? 0;
  }

  set(modelId: number, offset: number, value: number): void {
    this.registers[this.modelAddress(modelId) - this.baseAddress + offset] = value;
  }

  read(address: number, count: number): number[] {
    this.checkRange(address, count);
    return this.registers.slice(address - this.baseAddress, address - this.baseAddress + count);
  }

  /** Writes raw values; every address must be writable (else exception 2, like a real device). */
  write(address: number, values: readonly number[]): void {
    this.checkRange(address, values.length);
    values.forEach((_, i) => {
      if (!this.writable.has(address + i)) {
        throw new ModbusExceptionResponse(MODBUS_EXCEPTION.illegalDataAddress, `register ${address + i} is read-only`);
      }
    });
    values.forEach((value, i) => {
      this.registers[address - this.baseAddress + i] = value;
    });
  }

  private checkRange(address: number, count: number): void {
    const start = address - this.baseAddress;
    if (count < 1 || start < 0 || start + count > this.registers.length) {
      throw new ModbusExceptionResponse(MODBUS_EXCEPTION.illegalDataAddress, `registers ${address}..${address + count - 1} are outside the image`);
    }
  }
}
