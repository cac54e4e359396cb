/**
 * `gridmesh serve`, composed: the node runtime (slot cycle, storage, chain, MQTT), the HTTP/WebSocket
 * API and the dashboard on one port. Stopping closes the HTTP server first (no new requests), then
 * the node (it finishes the slot being settled).
 */
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from './http/http-server.js';
import { dashboardHtml } from '../web/dashboard-page.js';
import type { NodeConfig } from './node/node-config.js';
import { GridmeshNode } from './node/node-runtime.js';

export interface ServedNode {
  readonly node: GridmeshNode;
  readonly http: FastifyInstance;
  /** `http://host:port` the API and dashboard listen on (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveNode(config: NodeConfig, options: { log?: (line: string) => void; nowMs?: () => number } = {}): Promise<ServedNode> {
  const node = await GridmeshNode.start({ config, ...(options.log === undefined ? {} : { log: options.log }), ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }) });
  let http: FastifyInstance | undefined;
  try {
    const page = dashboardHtml({ title: `gridmesh: ${config.node.id}` });
    http = await createHttpServer({ view: node.view, dashboardHtml: () => page, limits: { bodyBytesMax: config.http.bodyBytesMax } });
    await http.listen({ host: config.http.host, port: config.http.port });
  } catch (e) {
    await http?.close().catch(() => {});
    await node.stop();
    throw e;
  }
  const address = http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const server = http;
  let closing: Promise<void> | undefined;
  return {
    node, http: server, url: `http://${host}:${port}`,
    close: () => {
      closing ??= (async () => {
        await server.close();
        await node.stop();
      })();
      return closing;
    },
  };
}
