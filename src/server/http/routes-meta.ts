/** GET /healthz (liveness, for probes) and GET / (the dashboard, when the node serves one). */
import type { ApiRoute } from './api-route.js';
import { defineRoute, json } from './api-route.js';
import { HttpError } from './http-errors.js';
import { noQuerySchema } from './request-schemas.js';
import { errorBodySchema, healthSchema } from './view-schemas.js';

export function metaRoutes(dashboardHtml: (() => string) | undefined): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET', url: '/healthz', summary: 'Liveness: the HTTP server answers', query: noQuerySchema,
      responses: { 200: { description: 'alive', schema: healthSchema } },
      handle: () => json(200, { ok: true }),
    }),
    defineRoute({
      method: 'GET', url: '/', summary: 'The dashboard (HTML), when this node serves one', query: noQuerySchema,
      responses: {
        200: { description: 'the dashboard', contentType: 'text/html' },
        404: { description: 'this node serves no dashboard', schema: errorBodySchema },
      },
      handle: () => {
        if (dashboardHtml === undefined) throw new HttpError(404, 'not-found', 'this node serves no dashboard (see /api/v1/openapi.json for the API)');
        return { status: 200, body: dashboardHtml(), contentType: 'text/html; charset=utf-8' };
      },
    }),
  ];
}
