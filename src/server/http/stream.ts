/**
 * GET /api/v1/stream: a WebSocket of slot summaries. The server speaks, the client listens:
 *
 *   server -> {"type":"hello","node":NodeInfo,"latest":SlotSummary|null}   on connect
 *   server -> {"type":"slot","summary":SlotSummary}                        after every settled slot
 *
 * Bounds: at most wsClientsMax clients (one more gets HTTP 503, or close 1013 if it raced past
 * the check); any inbound message closes the connection (1008; over 4 KiB: 1009); a client with
 * more than wsBufferedBytesMax queued is dropped rather than buffered for; a client that does not
 * answer a ping within PING_INTERVAL_MS is dropped, so dead connections do not hold a place. When
 * the server closes, clients get 1001 (going away) and should reconnect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocket } from 'ws';
import type { NodeView, SlotSummary } from '../node/node-view.js';
import type { RouteDoc } from './api-route.js';
import { HttpError } from './http-errors.js';
import type { HttpLimits } from './http-limits.js';
import { noQuerySchema } from './request-schemas.js';
import { errorBodySchema } from './view-schemas.js';

export const STREAM_PATH = '/api/v1/stream';
export const PING_INTERVAL_MS = 30_000;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** The part of a ws WebSocket the fan-out uses (a fake in tests). */
export interface StreamSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  terminate(): void;
}

/** Sends to one client unless that would queue more than `bufferedBytesMax`; then drops it. */
export function sendOrDrop(socket: StreamSocket, message: string, bufferedBytesMax: number): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  if (socket.bufferedAmount + Buffer.byteLength(message) > bufferedBytesMax) {
    socket.terminate();
    return false;
  }
  socket.send(message);
  return true;
}

export const streamRouteDoc: RouteDoc = {
  method: 'GET',
  url: STREAM_PATH,
  summary: 'WebSocket of slot summaries: a hello message, then one message per settled slot',
  description: 'Messages are the StreamHello and StreamSlot schemas. The client sends nothing: any message closes the connection '
    + `(1008; over 4 KiB: 1009). A client that falls more than wsBufferedBytesMax behind is dropped.`,
  query: noQuerySchema,
  responses: {
    101: { description: 'switching to the WebSocket protocol' },
    426: { description: 'a plain GET without Upgrade: websocket', schema: errorBodySchema },
    503: { description: 'too many stream clients', schema: errorBodySchema },
  },
};

export function registerStream(app: FastifyInstance, view: NodeView, limits: HttpLimits): void {
  const clients = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  const tooMany = () => new HttpError(503, 'unavailable', `too many stream clients (at most ${limits.wsClientsMax})`);

  const pings = setInterval(() => {
    for (const socket of clients) {
      if (!alive.has(socket)) socket.terminate();
      else {
        alive.delete(socket);
        socket.ping();
      }
    }
  }, PING_INTERVAL_MS);
  pings.unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(pings);
    done();
  });

  const accept = (socket: WebSocket): void => {
    if (clients.size >= limits.wsClientsMax) {
      socket.close(CLOSE_TRY_AGAIN_LATER, 'too many stream clients');
      return;
    }
    clients.add(socket);
    alive.add(socket);
    let unsubscribe = (): void => undefined;
    socket.on('close', () => {
      unsubscribe();
      clients.delete(socket);
    });
    socket.on('pong', () => alive.add(socket));
    socket.on('message', () => socket.close(CLOSE_POLICY_VIOLATION, 'the stream accepts no messages'));
    const send = (message: object) => sendOrDrop(socket, JSON.stringify(message), limits.wsBufferedBytesMax);
    send({ type: 'hello', node: view.info(), latest: view.history(1).at(-1) ?? null });
    unsubscribe = view.onSlot((summary: SlotSummary) => send({ type: 'slot', summary }));
  };

  app.route({
    method: 'GET',
    url: STREAM_PATH,
    preValidation: (_request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => done(clients.size >= limits.wsClientsMax ? tooMany() : undefined),
    handler: (_request: FastifyRequest, reply: FastifyReply) => {
      const body = new HttpError(426, 'upgrade-required', `${STREAM_PATH} is a WebSocket: connect with Upgrade: websocket`).body();
      void reply.code(426).header('upgrade', 'websocket').header('connection', 'Upgrade').send(body);
    },
    wsHandler: (socket: WebSocket) => accept(socket),
  });
}
