import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTestServer } from './http-test-client.fixture.js';
import { componentSchema } from './schema-registry.js';

type Operation = {
  operationId: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  parameters?: { name: string; required: boolean; schema: Record<string, unknown> }[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

let app: FastifyInstance;
let document: Document;

beforeAll(async () => {
  ({ app } = await aTestServer({}, { limits: { historyMax: 500 } }));
  const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  expect(response.statusCode).toBe(200);
  document = response.json();
});

afterAll(async () => {
  await app.close();
});

/** Every (method, path) in Fastify's router, read from its route tree (printRoutes). */
function registeredRoutes(server: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const prefixes: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    prefixes.length = depth;
    const path = (depth === 0 ? '' : prefixes[depth - 1]!) + match[2]!;
    prefixes[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner)));
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every registered route, and only registered routes', () => {
    const registered = registeredRoutes(app);
    expect(registered.length).toBeGreaterThanOrEqual(17);
    const apiRoutes = registered.filter((r) => r.path.startsWith('/api/v1/'));
    expect(apiRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/alerts', 'GET /api/v1/areas', 'GET /api/v1/devices', 'GET /api/v1/flexibility', 'GET /api/v1/node', 'GET /api/v1/openapi.json',
      'GET /api/v1/orders', 'GET /api/v1/proofs', 'GET /api/v1/slots', 'GET /api/v1/slots/latest', 'GET /api/v1/statements', 'GET /api/v1/stream',
      'GET /api/v1/trades', 'POST /api/v1/flexibility', 'POST /api/v1/orders', 'POST /api/v1/outages',
    ]);
    for (const { method, path } of registered) expect(document.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) expect(app.hasRoute({ method: method.toUpperCase() as 'GET', url: path }), `${method} ${path}`).toBe(true);
    }
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resolves every $ref to a component schema', () => {
    const all = refs(document);
    expect(all.length).toBeGreaterThan(30);
    for (const ref of new Set(all)) expect(document.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
  });

  it('marks writes as signed, with a JSON body and their auth errors', () => {
    for (const path of ['/api/v1/outages', '/api/v1/flexibility', '/api/v1/orders']) {
      const operation = document.paths[path]!['post']!;
      expect(operation.security?.[0]).toEqual({ GridmeshDid: [], GridmeshTime: [], GridmeshSignature: [] });
      expect(operation.requestBody?.content['application/json']?.schema.$ref).toMatch(/^#\/components\/schemas\//);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '413', '415', '500']));
    }
    expect(document.paths['/api/v1/outages']!['post']!.security).toEqual([{ GridmeshDid: [], GridmeshTime: [], GridmeshSignature: [] }, {}]);
  });

  it('documents request schemas as the server checks them', () => {
    expect(document.components.schemas['OutageRequest']).toMatchObject({
      type: 'object', required: ['area', 'durationSlots'], additionalProperties: false,
      properties: { durationSlots: { type: 'integer', minimum: 1, maximum: 672 } },
    });
    expect(document.paths['/api/v1/slots']!['get']!.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 96 } },
    ]);
    const proof = document.paths['/api/v1/proofs']!['get']!.parameters!;
    expect(proof.map((p) => [p.name, p.required])).toEqual([['microgrid', true], ['slot', true], ['kind', true], ['index', true]]);
  });

  it('has 200 schemas that the responses of the fake node match', async () => {
    const sample: Record<string, string> = { '/api/v1/proofs': '/api/v1/proofs?microgrid=riverside&slot=1&kind=trades&index=0' };
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      const ref = operations['get']?.responses['200']?.content?.['application/json']?.schema.$ref;
      if (ref === undefined) continue;
      const response = await app.inject({ method: 'GET', url: sample[path] ?? path });
      const parsed = componentSchema(ref.replace('#/components/schemas/', ''))!.safeParse(response.json());
      expect(parsed.success, `${path}: ${parsed.error?.message}`).toBe(true);
      checked.push(path);
    }
    expect(checked).toHaveLength(13); // healthz, 11 reads, openapi.json
  });
});
