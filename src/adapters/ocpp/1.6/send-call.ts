/**
 * The one outbound-call contract of the OCPP transport (CONVENTIONS 8): send, bounded by
 * `timeoutMs`, no retries (a charging-profile command is re-decided by the next slot instead).
 * ocpp-rpc failures become typed `OcppError`s.
 */
import ocppRpc, { type RPCClient } from 'ocpp-rpc';
import { OcppError } from './ocpp-errors.js';

// ocpp-rpc is CommonJS: under Node's ESM loader only some of its exports are named exports, the
// error classes are on the default export.
const { RPCError, TimeoutError } = ocppRpc;

export async function sendCall(client: RPCClient, method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  try {
    return await client.call(method, params, { callTimeoutMs: timeoutMs });
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new OcppError('timeout', `${method} got no answer within ${timeoutMs} ms`, { cause: error });
    }
    const details = error instanceof RPCError ? [`${error.rpcErrorCode}: ${error.message}`] : [];
    throw new OcppError('call-failed', `${method} failed`, { details, cause: error });
  }
}
