/**
 * The embedded default broker: aedes in this process, over `node:net`. Devices and the gateway
 * connect to `url` exactly as they would to an external broker (mosquitto), so swapping brokers is a
 * URL change. Bounds: packet size (MqttFrameGuard, as aedes has no option for it), connections
 * (`server.maxConnections`), and aedes's per-client outgoing queue (`queueLimit`).
 */
import { Aedes } from 'aedes';
import { createServer, type Socket } from 'node:net';
import { MqttFrameGuard } from './mqtt-frame-guard.js';
import { MqttError } from './mqtt-errors.js';
import { listenTcp } from '../tcp-listen.js';

/** Whole MQTT packet bound, bytes: far above a gridmesh payload, far below memory trouble. */
export const BROKER_PACKET_BYTES_MAX_DEFAULT = 64 * 1024;
export const BROKER_CONNECTIONS_MAX_DEFAULT = 10_000;
/** aedes's per-client queue of QoS 1/2 messages while the client is offline or slow. */
export const BROKER_CLIENT_QUEUE_MESSAGES_MAX_DEFAULT = 1000;

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 (default) = an ephemeral port chosen by the OS. */
  readonly port?: number;
  /** Default 127.0.0.1: the embedded broker is not exposed unless asked to be. */
  readonly host?: string;
  readonly packetBytesMax?: number;
  readonly connectionsMax?: number;
  readonly clientQueueMessagesMax?: number;
}

export interface EmbeddedBroker {
  /** `mqtt://host:port`, for the gateway and the devices. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Connections closed because a packet exceeded packetBytesMax (or had a malformed header). */
  oversizeDisconnects(): number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const packetBytesMax = positiveInteger(options.packetBytesMax ?? BROKER_PACKET_BYTES_MAX_DEFAULT, 'packetBytesMax');
  const aedes = await Aedes.createBroker({
    queueLimit: positiveInteger(options.clientQueueMessagesMax ?? BROKER_CLIENT_QUEUE_MESSAGES_MAX_DEFAULT, 'clientQueueMessagesMax'),
    maxClientsIdLength: 128,
  });
  let oversize = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    guardPacketSize(socket, new MqttFrameGuard(packetBytesMax), () => oversize++);
    aedes.handle(socket);
  });
  server.maxConnections = positiveInteger(options.connectionsMax ?? BROKER_CONNECTIONS_MAX_DEFAULT, 'connectionsMax');
  const port = await listenTcp(server, options.port ?? 0, host).catch(async (cause: unknown) => {
    await closeAedes(aedes);
    throw new MqttError('broker-failed', `cannot listen on ${host}:${options.port ?? 0}`, { cause });
  });
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    oversizeDisconnects: () => oversize,
    close: async () => {
      await closeAedes(aedes);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * aedes pulls with `read()` on 'readable'; a 'data' listener then sees each chunk as it is read,
 * before aedes parses it, so the connection is destroyed before an oversize body is buffered.
 */
function guardPacketSize(socket: Socket, guard: MqttFrameGuard, onOversize: () => void): void {
  socket.on('data', (chunk: Buffer) => {
    if (socket.destroyed) return;
    if (guard.feed(chunk) !== 'ok') {
      onOversize();
      socket.destroy();
    }
  });
}


function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new MqttError('bad-config', `${field}: expected a positive integer (got ${value})`);
  return value;
}
