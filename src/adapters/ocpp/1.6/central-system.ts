/**
 * The OCPP 1.6J central system: chargers connect over WebSocket (ocpp-rpc, subprotocol `ocpp1.6`,
 * strict schema validation of every frame in both directions). Boot, heartbeat, status and
 * transactions update a per-charger state; MeterValues become `ChargerReading`s for the sink.
 * Outbound calls (charging profiles) go through `call`, used by charger-control.ts.
 */
import type { AddressInfo } from 'node:net';
import { createRPCError, RPCServer, type RPCClient } from 'ocpp-rpc';
import type { ChargerReadingSink } from './charger-reading.js';
import { ChargePointState, type ConnectorView } from './charge-point-state.js';
import { mapMeterValues } from './meter-values-mapper.js';
import { OcppError } from './ocpp-errors.js';
import { parseOcppLimits, type OcppLimits, type OcppLimitsInput } from './ocpp-limits.js';
import { sendCall } from './send-call.js';
import {
  bootNotificationReq, meterValuesReq, parseWire, startTransactionReq, statusNotificationReq, stopTransactionReq,
} from './wire-messages.js';

export const OCPP16_PROTOCOL = 'ocpp1.6';

export interface OcppCentralSystemOptions {
  /** TCP port; 0 picks a free one (tests). */
  readonly port: number;
  readonly host?: string;
  /** Always on: frames that break the OCPP 1.6 JSON schema are answered with a CALLERROR. */
  readonly strictMode: true;
  readonly limits?: OcppLimitsInput;
  readonly sink: ChargerReadingSink;
  /** Charge point ids the gatekeeper admitted; others are refused at the WebSocket upgrade (401). Absent = all. */
  readonly allowedChargerIds?: ReadonlySet<string>;
  /** Wall clock for `currentTime` answers, ms since the epoch (injected for tests). */
  readonly nowMs?: () => number;
}

export interface OcppStats {
  readonly connectedChargers: number;
  readonly refusedConnections: number;
  readonly callsReceived: number;
  readonly callErrorsSent: number;
  readonly badMessages: number;
  readonly readingsAccepted: number;
  readonly meterValuesSkipped: number;
}

export interface OcppCentralSystem {
  readonly port: number;
  /** ws://host:port — a charger connects to `${url}/${chargerId}`. */
  readonly url: string;
  readonly limits: OcppLimits;
  stats(): OcppStats;
  isConnected(chargerId: string): boolean;
  /** A connector's last known state; throws `OcppError('not-connected')` for an absent charger. */
  connector(chargerId: string, connectorId: number): ConnectorView;
  /** Sends a call to a connected charger and waits for its answer (bounded by `timeoutMs`). */
  call(chargerId: string, method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

interface Session {
  readonly client: RPCClient;
  readonly state: ChargePointState;
}

export async function startOcppCentralSystem(options: OcppCentralSystemOptions): Promise<OcppCentralSystem> {
  const limits = parseOcppLimits(options.limits);
  const nowMs = options.nowMs ?? Date.now;
  const sessions = new Map<string, Session>();
  const counts = { refusedConnections: 0, callsReceived: 0, callErrorsSent: 0, badMessages: 0, readingsAccepted: 0, meterValuesSkipped: 0 };
  let nextTransactionId = 1;

  const server = new RPCServer({
    protocols: [OCPP16_PROTOCOL],
    strictMode: options.strictMode,
    callTimeoutMs: limits.callTimeoutMs,
    maxBadMessages: limits.maxBadMessages,
    respondWithDetailedErrors: false,
    wssOptions: { maxPayload: limits.maxMessageBytes },
  });

  server.auth((accept, reject, handshake) => {
    const id = handshake.identity;
    if (options.allowedChargerIds && !options.allowedChargerIds.has(id)) {
      counts.refusedConnections += 1;
      reject(401, 'charge point not admitted');
    } else if (!sessions.has(id) && sessions.size >= limits.maxChargers) {
      counts.refusedConnections += 1;
      reject(503, 'too many chargers');
    } else {
      accept();
    }
  });

  server.on('client', (client: RPCClient) => {
    const chargerId = client.identity ?? '';
    const session: Session = { client, state: new ChargePointState(chargerId, limits.maxConnectorsPerCharger) };
    const previous = sessions.get(chargerId);
    sessions.set(chargerId, session);
    if (previous) void previous.client.close({ code: 1000, reason: 'replaced by a new connection' });
    client.on('close', () => {
      if (sessions.get(chargerId) === session) sessions.delete(chargerId);
    });
    client.on('call', (event: { outbound: boolean }) => {
      if (!event.outbound) counts.callsReceived += 1;
    });
    client.on('callError', (event: { outbound: boolean }) => {
      if (!event.outbound) counts.callErrorsSent += 1;
    });
    client.on('badMessage', () => {
      counts.badMessages += 1;
    });
    registerHandlers(session);
  });

  function registerHandlers({ client, state }: Session): void {
    const handle = (method: string, handler: (params: unknown) => Record<string, unknown>): void => {
      client.handle(method, async ({ params }) => {
        try {
          return handler(params);
        } catch (error) {
          throw toRpcError(error);
        }
      });
    };
    const currentTime = (): string => new Date(nowMs()).toISOString();

    handle('BootNotification', (params) => {
      const req = parseWire(bootNotificationReq, params, 'BootNotification');
      state.vendor = req.chargePointVendor;
      state.model = req.chargePointModel;
      state.booted = true;
      return { status: 'Accepted', currentTime: currentTime(), interval: limits.heartbeatIntervalS };
    });
    handle('Heartbeat', () => ({ currentTime: currentTime() }));
    handle('StatusNotification', (params) => {
      const req = parseWire(statusNotificationReq, params, 'StatusNotification');
      state.setStatus(req.connectorId, req.status);
      return {};
    });
    handle('MeterValues', (params) => {
      const req = parseWire(meterValuesReq, params, 'MeterValues');
      assertMeterValuesWithinLimits(req.meterValue.map((m) => m.sampledValue.length), limits);
      const { readings, skipped } = mapMeterValues(state.chargerId, req);
      options.sink.pushAll(readings);
      for (const reading of readings) state.recordReading(reading);
      counts.readingsAccepted += readings.length;
      counts.meterValuesSkipped += skipped;
      return {};
    });
    handle('StartTransaction', (params) => {
      const req = parseWire(startTransactionReq, params, 'StartTransaction');
      const transactionId = nextTransactionId++;
      state.openTransaction(req.connectorId, transactionId);
      return { transactionId, idTagInfo: { status: 'Accepted' } };
    });
    handle('StopTransaction', (params) => {
      const req = parseWire(stopTransactionReq, params, 'StopTransaction');
      state.closeTransaction(req.transactionId);
      return { idTagInfo: { status: 'Accepted' } };
    });
    client.handle(async ({ method }) => {
      throw createRPCError('NotImplemented', `${method ?? 'call'} is not supported by the gridmesh central system`);
    });
  }

  const http = await server.listen(options.port, options.host);
  const { port } = http.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  let closed = false;

  function session(chargerId: string): Session {
    const found = sessions.get(chargerId);
    if (!found) throw new OcppError('not-connected', `charger ${chargerId} is not connected`);
    return found;
  }

  return {
    port,
    url: `ws://${host}:${port}`,
    limits,
    stats: () => ({ connectedChargers: sessions.size, ...counts }),
    isConnected: (chargerId) => sessions.has(chargerId),
    connector: (chargerId, connectorId) => session(chargerId).state.connector(connectorId),
    call: (chargerId, method, params, timeoutMs = limits.callTimeoutMs) => {
      if (closed) return Promise.reject(new OcppError('closed', 'the central system is closed'));
      return sendCall(session(chargerId).client, method, params, timeoutMs);
    },
    close: async () => {
      closed = true;
      await server.close({ force: true });
    },
  };
}

function assertMeterValuesWithinLimits(sampledCounts: readonly number[], limits: OcppLimits): void {
  if (sampledCounts.length > limits.maxMeterValuesPerMessage || sampledCounts.some((n) => n > limits.maxSampledValuesPerMeterValue)) {
    throw new OcppError('bad-payload', 'MeterValues exceeds the configured limits', {
      details: [`at most ${limits.maxMeterValuesPerMessage} meterValue entries of ${limits.maxSampledValuesPerMeterValue} sampled values`],
    });
  }
}

/** Expected failures become the matching OCPP CALLERROR; anything else an InternalError. */
function toRpcError(error: unknown): unknown {
  if (error instanceof OcppError) {
    const code = error.reason === 'bad-payload' ? 'PropertyConstraintViolation' : 'InternalError';
    return createRPCError(code, error.message, { details: error.details });
  }
  return createRPCError('InternalError', 'internal error');
}
