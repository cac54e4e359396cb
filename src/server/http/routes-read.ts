/** The read routes: public JSON views of the node (GET, no authentication). */
import type { NodeView } from '../node/node-view.js';
import { defineRoute, json, type ApiRoute, type ResponseDoc } from './api-route.js';
import { HttpError } from './http-errors.js';
import type { HttpLimits } from './http-limits.js';
import { readQuerySchemas } from './request-schemas.js';
import {
  alertListSchema, areaListSchema, deviceListSchema, errorBodySchema, flexibilityListSchema, nodeInfoSchema, orderListSchema, proofJsonSchema,
  slotSummaryListSchema, slotSummarySchema, statementListSchema, tradeListSchema,
} from './view-schemas.js';

const notFound = (description: string): ResponseDoc => ({ description, schema: errorBodySchema });

export function readRoutes(view: NodeView, limits: HttpLimits): ApiRoute[] {
  const q = readQuerySchemas(limits.historyMax);
  return [
    defineRoute({
      method: 'GET', url: '/api/v1/node', summary: 'The node: scenario, speed, last slot, MQTT and chain endpoints', query: q.none,
      responses: { 200: { description: 'the node', schema: nodeInfoSchema } },
      handle: () => json(200, view.info()),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/areas', summary: 'Areas of the hierarchy with their status and net import', query: q.none,
      responses: { 200: { description: 'every area', schema: areaListSchema } },
      handle: () => json(200, view.areas()),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/slots', summary: 'The newest slot summaries, oldest first', query: q.slots,
      responses: { 200: { description: 'at most `limit` summaries', schema: slotSummaryListSchema } },
      handle: ({ query }) => json(200, view.history(query.limit)),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/slots/latest', summary: 'The summary of the last settled slot', query: q.none,
      responses: { 200: { description: 'the last slot', schema: slotSummarySchema }, 404: notFound('no slot settled yet') },
      handle: () => {
        const latest = view.history(1).at(-1);
        if (latest === undefined) throw new HttpError(404, 'not-found', 'no slot settled yet');
        return json(200, latest);
      },
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/devices', summary: 'Devices known to the node, with credential and connection state', query: q.none,
      responses: { 200: { description: 'every device', schema: deviceListSchema } },
      handle: () => json(200, view.devices()),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/trades', summary: 'Trades of one settled slot (default: the last)', query: q.slot,
      responses: { 200: { description: 'the trades of the slot', schema: tradeListSchema }, 404: notFound('the slot is beyond the history') },
      handle: ({ query }) => json(200, query.slot === undefined ? view.trades() : view.trades(query.slot)),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/orders', summary: 'Orders of one settled slot (default: the last)', query: q.slot,
      responses: { 200: { description: 'the orders of the slot', schema: orderListSchema }, 404: notFound('the slot is beyond the history') },
      handle: ({ query }) => json(200, query.slot === undefined ? view.orders() : view.orders(query.slot)),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/flexibility', summary: 'Flexibility requests and their delivery', query: q.none,
      responses: { 200: { description: 'every flexibility request', schema: flexibilityListSchema } },
      handle: () => json(200, view.flexibility()),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/statements', summary: 'Settlement statements (at most `limit`), optionally of one microgrid', query: q.statements,
      responses: { 200: { description: 'at most `limit` statements', schema: statementListSchema } },
      handle: ({ query }) => json(200, view.statements(query.microgrid === undefined ? { limit: query.limit } : { limit: query.limit, microgrid: query.microgrid })),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/proofs', summary: "The Merkle proof of one leaf of a microgrid's statement", query: q.proof,
      responses: { 200: { description: 'the proof (check it with `gridmesh ledger check`)', schema: proofJsonSchema }, 404: notFound('no such statement or leaf') },
      handle: ({ query }) => json(200, view.proof(query)),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/alerts', summary: 'Recent alerts (at most `limit`)', query: q.alerts,
      responses: { 200: { description: 'at most `limit` alerts', schema: alertListSchema } },
      handle: ({ query }) => json(200, view.alerts(query.limit)),
    }),
  ];
}
