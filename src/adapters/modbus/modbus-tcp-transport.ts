/**
 * The one small contract the SunSpec client needs from Modbus TCP (CONVENTIONS 8): read holding
 * registers, write registers, close, each with a timeout and a bounded number of retries. Requests
 * go out one at a time (many devices handle only one transaction); at most `maxPendingRequests`
 * may wait, more is a `busy` error. Failures of modbus-serial are mapped to `ModbusError`.
 */
import ModbusSerial from 'modbus-serial';
import { ModbusError } from './modbus-errors.js';

const ModbusRTU = ModbusSerial.default;
type ModbusRTUClient = InstanceType<typeof ModbusRTU>;

/** Modbus allows at most 125 registers per read (FC3) and 123 per write (FC16). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

export interface ModbusTcpOptions {
  readonly host: string;
  readonly port: number;
  readonly unitId: number;
  /** Per request and for the TCP connect, ms. */
  readonly timeoutMs: number;
  /** Extra attempts after a timeout (device exceptions are not retried). */
  readonly retries: number;
  readonly maxPendingRequests: number;
}

export interface ModbusTransport {
  readHoldingRegisters(address: number, count: number): Promise<number[]>;
  writeRegisters(address: number, values: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export async function connectModbusTcp(options: ModbusTcpOptions): Promise<ModbusTransport> {
  const client = new ModbusRTU();
  // Without a listener, a late socket error would be an unhandled 'error' event.
  client.on('error', () => undefined);
  const where = `${options.host}:${options.port}`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ModbusError('timeout', `no TCP connection to ${where} within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  try {
    await Promise.race([client.connectTCP(options.host, { port: options.port }), timeout]);
  } catch (error) {
    client.destroy(() => undefined);
    if (error instanceof ModbusError) throw error;
    throw new ModbusError('connection', `cannot connect to Modbus TCP ${where}: ${messageOf(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  client.setID(options.unitId);
  client.setTimeout(options.timeoutMs);
  return new SerialisedTransport(client, options, where);
}

class SerialisedTransport implements ModbusTransport {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;

  constructor(private readonly client: ModbusRTUClient, private readonly options: ModbusTcpOptions, private readonly where: string) {}

  async readHoldingRegisters(address: number, count: number): Promise<number[]> {
    checkSpan(address, count, MAX_READ_REGISTERS, 'read');
    return this.enqueue(`read ${count} registers at ${address}`, async () => (await this.client.readHoldingRegisters(address, count)).data);
  }

  async writeRegisters(address: number, values: readonly number[]): Promise<void> {
    checkSpan(address, values.length, MAX_WRITE_REGISTERS, 'write');
    return this.enqueue(`write ${values.length} registers at ${address}`, async () => {
      await this.client.writeRegisters(address, [...values]);
    });
  }

  /**
   * Closes the connection. modbus-serial calls back only once the socket has closed, which never
   * happens when the device already dropped it or never answers: the close waits at most
   * `timeoutMs`, then destroys the socket.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    if (!this.client.isOpen) {
      this.client.destroy(() => undefined);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<boolean>((resolve) => this.client.close(() => resolve(true)));
    const waited = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), this.options.timeoutMs); });
    const clean = await Promise.race([closed, waited]);
    clearTimeout(timer);
    if (!clean) this.client.destroy(() => undefined);
  }

  private enqueue<T>(what: string, request: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ModbusError('closed', `Modbus connection to ${this.where} is closed`));
    if (this.pending >= this.options.maxPendingRequests) {
      return Promise.reject(new ModbusError('busy', `more than ${this.options.maxPendingRequests} Modbus requests waiting for ${this.where}`));
    }
    this.pending++;
    const run = this.tail.catch(() => undefined).then(() => this.withRetries(what, request));
    this.tail = run;
    return run.finally(() => {
      this.pending--;
    });
  }

  private async withRetries<T>(what: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (!this.client.isOpen) throw new ModbusError('connection', `Modbus connection to ${this.where} is not open (${what})`);
      try {
        return await request();
      } catch (error) {
        const mapped = toModbusError(error, what, this.where, attempt + 1);
        if (mapped.reason !== 'timeout' || attempt >= this.options.retries) throw mapped;
      }
    }
  }
}

function checkSpan(address: number, count: number, max: number, what: string): void {
  if (!Number.isInteger(address) || !Number.isInteger(count) || count < 1 || count > max || address < 0 || address + count - 1 > 0xffff) {
    throw new ModbusError('out-of-range', `cannot ${what} ${count} registers at ${address} (1..${max} within 0..65535)`);
  }
}

function toModbusError(error: unknown, what: string, where: string, attempts: number): ModbusError {
  if (error instanceof ModbusError) return error;
  const e = error as { errno?: unknown; modbusCode?: unknown };
  if (e.errno === 'ETIMEDOUT') {
    return new ModbusError('timeout', `no answer from ${where} to ${what} after ${attempts} attempt(s)`, { cause: error });
  }
  if (typeof e.modbusCode === 'number') {
    return new ModbusError('device-exception', `${where} refused to ${what}: ${messageOf(error)}`, { cause: error, details: [`Modbus exception code ${e.modbusCode}`] });
  }
  return new ModbusError('connection', `${what} on ${where} failed: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
