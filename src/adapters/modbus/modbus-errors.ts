/**
 * Errors of the Modbus / SunSpec adapter. Every expected failure is a `ModbusError` whose `reason`
 * says what kind it is, so callers can react (retry later on `timeout`, reconfigure on
 * `model-missing`) without parsing messages.
 */
import { GridmeshError } from '../../core/errors.js';

export type ModbusFailure =
  /** No answer within `timeoutMs` after every retry (device absent, wrong unit id, link down). */
  | 'timeout'
  /** The TCP connection could not be opened or was lost. */
  | 'connection'
  /** The device answered with a Modbus exception (illegal address, illegal value, device failure). */
  | 'device-exception'
  /** No 'SunS' marker at any of the base addresses tried. */
  | 'not-sunspec'
  /** The device does not offer a SunSpec model the operation needs. */
  | 'model-missing'
  /** A point the operation needs holds the SunSpec "not implemented" value. */
  | 'not-implemented'
  /** A value to write (or one read back) is outside what the point or the device allows. */
  | 'out-of-range'
  /** The register image is malformed (model chain too long, overlapping the address space). */
  | 'bad-image'
  /** Too many requests are waiting for the connection (the bound is `maxPendingRequests`). */
  | 'busy'
  /** The client was closed. */
  | 'closed'
  /** Options that fail the schema. */
  | 'bad-config';

export class ModbusError extends GridmeshError {
  override readonly name = 'ModbusError';
  constructor(
    readonly reason: ModbusFailure,
    message: string,
    options: { details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
