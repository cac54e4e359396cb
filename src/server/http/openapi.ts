/**
 * GET /api/v1/openapi.json: an OpenAPI 3.1 document generated from the route table (api-route.ts)
 * and the zod schemas (schema-registry.ts), so it cannot drift from what the server does. Errors
 * every route shares (400 for parameters or a body, 401/403 for signed routes, 413/415 for bodies,
 * 500) are added here; a route lists its own.
 */
import { z } from 'zod';
import { defineRoute, json, type ApiRoute, type ResponseDoc, type RouteDoc } from './api-route.js';
import { noQuerySchema } from './request-schemas.js';
import { apiSchemaRegistry, componentIdOf } from './schema-registry.js';
import { errorBodySchema, openApiDocumentSchema } from './view-schemas.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

export type OpenApiDocument = Record<string, unknown> & { readonly paths: Record<string, Record<string, unknown>> };

type JsonSchema = Record<string, unknown>;

const SIGNED: Readonly<Record<string, string[]>> = { GridmeshDid: [], GridmeshTime: [], GridmeshSignature: [] };

const SECURITY_SCHEMES = {
  GridmeshDid: { type: 'apiKey', in: 'header', name: 'x-gridmesh-did', description: "did:key of the caller's Ed25519 key" },
  GridmeshTime: { type: 'apiKey', in: 'header', name: 'x-gridmesh-time', description: 'unix milliseconds, within the allowed skew of the node clock' },
  GridmeshSignature: {
    type: 'apiKey', in: 'header', name: 'x-gridmesh-signature',
    description: 'base64url Ed25519 signature of "gridmesh-request/1\\n<METHOD>\\n<path?query>\\n<time>\\n<sha256 hex of the body>" (docs/api.md)',
  },
};

const sharedError = (description: string): ResponseDoc => ({ description, schema: errorBodySchema });

export function buildOpenApiDocument(routes: readonly RouteDoc[]): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operations = (paths[route.url] ??= {});
    operations[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'gridmesh node API',
      version: '1',
      description: 'Read the state of a gridmesh node, stream its slots, and send signed operator and participant writes. See docs/api.md.',
    },
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}

/** The route that serves the document of `documented` and of itself. */
export function openApiRoute(documented: readonly RouteDoc[]): ApiRoute {
  const doc: RouteDoc = {
    method: 'GET', url: OPENAPI_PATH, summary: 'This OpenAPI 3.1 document', query: noQuerySchema,
    responses: { 200: { description: 'the document', schema: openApiDocumentSchema } },
  };
  const document = buildOpenApiDocument([...documented, doc]);
  return defineRoute({ ...doc, query: noQuerySchema, handle: () => json(200, document) });
}

function operationOf(route: RouteDoc): Record<string, unknown> {
  const operation: Record<string, unknown> = { operationId: operationIdOf(route), summary: route.summary };
  if (route.description !== undefined) operation['description'] = route.description;
  const parameters = route.query === undefined ? [] : queryParameters(route.query);
  if (parameters.length > 0) operation['parameters'] = parameters;
  if (route.body !== undefined) {
    operation['requestBody'] = { required: true, content: { 'application/json': { schema: refTo(route.body) } } };
  }
  if (route.auth !== undefined) operation['security'] = route.auth.anonymousAllowed === undefined ? [SIGNED] : [SIGNED, {}];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries({ ...sharedResponses(route, parameters.length > 0), ...route.responses })) {
    responses[status] = responseOf(response);
  }
  operation['responses'] = responses;
  return operation;
}

function sharedResponses(route: RouteDoc, hasParameters: boolean): Record<number, ResponseDoc> {
  const shared: Record<number, ResponseDoc> = {};
  if (hasParameters || route.body !== undefined) shared[400] = sharedError('malformed query or body (error bad-request, with issues)');
  if (route.auth !== undefined) {
    shared[401] = sharedError('missing or invalid signature, time outside the allowed skew, or a replayed request (error unauthenticated)');
    shared[403] = sharedError(`the caller's role is not ${route.auth.roles.join(' or ')} (error forbidden)`);
  }
  if (route.body !== undefined) {
    shared[413] = sharedError('the body is larger than bodyBytesMax (error payload-too-large)');
    shared[415] = sharedError('the body is not application/json (error unsupported-media-type)');
  }
  shared[500] = sharedError('a bug in the node (error internal; details only in the node log)');
  return shared;
}

function responseOf(response: ResponseDoc): Record<string, unknown> {
  const contentType = response.contentType ?? 'application/json';
  if (response.schema !== undefined) return { description: response.description, content: { [contentType]: { schema: refTo(response.schema) } } };
  if (response.contentType !== undefined) return { description: response.description, content: { [contentType]: { schema: { type: 'string' } } } };
  return { description: response.description };
}

function queryParameters(query: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = withoutDialect(z.toJSONSchema(field, { io: 'output' }) as JsonSchema);
    const parameter: Record<string, unknown> = { name, in: 'query', required: !field.safeParse(undefined).success, schema };
    if (field.description !== undefined) parameter['description'] = field.description;
    return parameter;
  });
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemaRegistry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

function refTo(schema: z.ZodType): JsonSchema {
  return { $ref: `#/components/schemas/${componentIdOf(schema)}` };
}

/** OpenAPI 3.1's dialect is the default; a per-schema $schema and $id only add noise. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function operationIdOf(route: RouteDoc): string {
  const words = route.url.replace(/^\/api\/v1/, '').split(/[/._-]/).filter((w) => w.length > 0);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return `${route.method.toLowerCase()}${name.length > 0 ? name : 'Root'}`;
}
