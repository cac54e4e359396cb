/**
 * One API route, declared once: its documentation (for openapi.ts) and its behaviour. Registering
 * it runs the same steps for every route, in this order: parse the query (400), check the caller
 * (401/403), parse the body (400), then the handler. Handlers receive typed, valid values only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../node/node-view.js';
import { badRequest } from './http-errors.js';
import { rawBodyOf } from './raw-json-body.js';
import { RequestAuthenticator, type AuthenticatedCaller } from './request-auth.js';

export type HttpMethod = 'GET' | 'POST';

export interface ResponseDoc {
  readonly description: string;
  /** A schema registered with named(); absent for an empty or non-JSON body. */
  readonly schema?: z.ZodType;
  /** Default application/json. */
  readonly contentType?: string;
}

export interface RouteAuth {
  readonly roles: readonly Role[];
  /** When this returns true an unsigned request passes as anonymous (a signed one is still checked). */
  readonly anonymousAllowed?: () => boolean;
}

/** What openapi.ts needs to describe a route. */
export interface RouteDoc {
  readonly method: HttpMethod;
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly auth?: RouteAuth;
  /** Success and route-specific error responses; openapi.ts adds the errors every route shares. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
}

export interface RouteInput<Q, B> {
  readonly query: Q;
  readonly body: B;
  /** The signed caller; null on public routes and for an anonymous demo request. */
  readonly caller: AuthenticatedCaller | null;
}

export interface ApiRouteSpec<QS extends z.ZodObject, BS extends z.ZodType | undefined> extends RouteDoc {
  readonly query: QS;
  readonly body?: BS;
  handle(input: RouteInput<z.output<QS>, BS extends z.ZodType ? z.output<BS> : undefined>): ApiReply;
}

/** A route with its types erased, so routes of different shapes fit in one list. */
export interface ApiRoute extends RouteDoc {
  readonly query: z.ZodObject;
  handle(input: RouteInput<unknown, unknown>): ApiReply;
}

export function defineRoute<QS extends z.ZodObject, BS extends z.ZodType | undefined = undefined>(spec: ApiRouteSpec<QS, BS>): ApiRoute {
  return spec as unknown as ApiRoute;
}

export const json = (status: number, body: unknown): ApiReply => ({ status, body });

/** The caller of a route whose auth has no anonymous case: null there is a bug in the route table. */
export function signedCaller(caller: AuthenticatedCaller | null): AuthenticatedCaller {
  if (caller === null) throw new Error('assertion: a route without anonymous access ran without a signed caller');
  return caller;
}

export function registerApiRoute(app: FastifyInstance, route: ApiRoute, authenticator: RequestAuthenticator): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const query = parse(route.query, request.query ?? {}, 'query');
      const caller = route.auth === undefined ? null : authorise(route.auth, request, authenticator);
      const body = route.body === undefined ? undefined : parse(route.body, request.body, 'body');
      const result = route.handle({ query, body, caller });
      reply.code(result.status);
      if (result.contentType !== undefined) reply.type(result.contentType);
      void reply.send(result.body);
    },
  });
}

function parse(schema: z.ZodType, value: unknown, part: 'body' | 'query'): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(part, result.error);
  return result.data;
}

function authorise(auth: RouteAuth, request: FastifyRequest, authenticator: RequestAuthenticator): AuthenticatedCaller | null {
  if (auth.anonymousAllowed?.() === true && !RequestAuthenticator.isSigned(request.headers)) return null;
  return authenticator.authorise({ method: request.method, url: request.url, headers: request.headers, rawBody: rawBodyOf(request) }, auth.roles);
}
