/**
 * The node's HTTP/WebSocket API (docs/api.md): a Fastify server over a `NodeView`. Reads are
 * public; writes are signed requests checked against the caller's role; the slot stream is a
 * WebSocket. Everything is bounded (http-limits.ts) and every error is `{ error, message }` JSON.
 */
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { WebSocket } from 'ws';
import type { NodeView } from '../node/node-view.js';
import { registerApiRoute } from './api-route.js';
import { errorResponse, installErrorHandlers } from './http-errors.js';
import { REQUEST_TIMEOUT_MS, WS_INBOUND_BYTES_MAX, resolveHttpLimits, type HttpLimitOptions } from './http-limits.js';
import { openApiRoute } from './openapi.js';
import { installRawJsonBody } from './raw-json-body.js';
import { RequestAuthenticator, type RequestAuthOptions } from './request-auth.js';
import { metaRoutes } from './routes-meta.js';
import { readRoutes } from './routes-read.js';
import { writeRoutes } from './routes-write.js';
import { CLOSE_GOING_AWAY, registerStream, streamRouteDoc } from './stream.js';

export interface HttpServerOptions {
  readonly view: NodeView;
  /** Full HTML of the dashboard served at GET / (optional). */
  readonly dashboardHtml?: () => string;
  readonly limits?: HttpLimitOptions;
  /** Allowed clock skew of signed requests (default 60 s), an injected clock for tests, the replay cache size. */
  readonly auth?: RequestAuthOptions;
  /** Fastify's JSON request log (default off). */
  readonly logger?: boolean;
}

/** The server with every route registered and ready; the caller chooses where it listens. */
export async function createHttpServer(o: HttpServerOptions): Promise<FastifyInstance> {
  const limits = resolveHttpLimits(o.limits);
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: limits.bodyBytesMax,
    requestTimeout: REQUEST_TIMEOUT_MS,
    exposeHeadRoutes: false,
    // Errors raised before routing (a malformed URL) get the same JSON shape as the rest.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = errorResponse(error, limits);
      void reply.code(status).send(body);
    },
  });
  installErrorHandlers(app, limits);
  installRawJsonBody(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    done();
  });
  // Added before the plugin's own preClose (which closes without a code) so clients see 1001 and reconnect.
  app.addHook('preClose', (done) => {
    for (const client of app.websocketServer.clients) client.close(CLOSE_GOING_AWAY, 'the node is shutting down');
    done();
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: WS_INBOUND_BYTES_MAX },
    // ws has already closed the socket (1008/1009) for protocol errors; only a live one is terminated.
    errorHandler: (error, socket, request) => {
      if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) {
        request.log.debug({ err: error }, 'stream client error');
        return;
      }
      request.log.warn({ err: error }, 'stream client failed');
      socket.terminate();
    },
  });

  const authenticator = new RequestAuthenticator(o.view, o.auth);
  const routes = [...metaRoutes(o.dashboardHtml), ...readRoutes(o.view, limits), ...writeRoutes(o.view)];
  for (const route of [...routes, openApiRoute([...routes, streamRouteDoc])]) registerApiRoute(app, route, authenticator);
  registerStream(app, o.view, limits);
  await app.ready();
  return app;
}
