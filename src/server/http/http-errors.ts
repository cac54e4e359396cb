/**
 * Every API error is JSON `{ error, message, ... }`: `error` is a stable code a client can switch on,
 * `message` is for people. Expected failures are thrown as `HttpError` (or `NodeRequestError` by the
 * view) and mapped here once; anything else is a bug and becomes a 500 with a generic message, logged
 * with its stack on the server and never sent to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { GridmeshError } from '../../core/errors.js';
import { NodeRequestError } from '../node/node-view.js';

export type HttpErrorCode =
  | 'bad-request' | 'unauthenticated' | 'forbidden' | 'not-found' | 'payload-too-large' | 'unsupported-media-type'
  | 'order-rejected' | 'invalid' | 'conflict' | 'unavailable' | 'upgrade-required' | 'internal';

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly [detail: string]: unknown;
}

/** One failed check of a body or query: the dotted path ('(root)' for the whole value) and what was expected. */
export interface IssueView {
  readonly path: string;
  readonly message: string;
}

/** Issues listed in a 400; the first ones say enough and the response stays small. */
export const ISSUES_LISTED_MAX = 20;

/** An expected failure of a request, with its status and code. */
export class HttpError extends GridmeshError {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, ...this.extra };
  }
}

/** The issues of a failed zod parse, as the API reports them. */
export function issuesOf(error: z.ZodError): IssueView[] {
  const issues = error.issues.flatMap((issue): IssueView[] => issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({ path: pathText([...issue.path, key]), message: 'unexpected key (not in the schema)' }))
    : [{ path: pathText(issue.path), message: issue.message }]);
  return issues.slice(0, ISSUES_LISTED_MAX);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** A 400 for a body or query that does not match its schema. */
export function badRequest(part: 'body' | 'query', error: z.ZodError): HttpError {
  const issues = issuesOf(error);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const message = first === undefined ? `invalid ${part}` : `invalid ${part}: ${first.path}: ${first.message}${more}`;
  return new HttpError(400, 'bad-request', message, { issues });
}

const NODE_ERROR_STATUS: Readonly<Record<NodeRequestError['code'], number>> = { 'not-found': 404, invalid: 400, conflict: 409, unavailable: 503 };

/** Status, body and headers of the response to a failed request. */
export function errorResponse(error: unknown, limits: { readonly bodyBytesMax: number }): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof HttpError) {
    const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Gridmesh-Signature' } : {};
    return { status: error.status, body: error.body(), headers };
  }
  if (error instanceof NodeRequestError) {
    return { status: NODE_ERROR_STATUS[error.code], body: { error: error.code, message: error.message }, headers: {} };
  }
  if (isFastifyClientError(error)) return { status: error.statusCode, body: fastifyErrorBody(error, limits.bodyBytesMax), headers: {} };
  return { status: 500, body: { error: 'internal', message: 'internal error (details are in the node log)' }, headers: {} };
}

/** Fastify's own request errors (the client's fault) in the API's words. */
function fastifyErrorBody(error: FastifyError, bodyBytesMax: number): ErrorBody {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return { error: 'payload-too-large', message: `the body is larger than ${bodyBytesMax} bytes` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return { error: 'unsupported-media-type', message: 'expected content-type application/json' };
    default: return { error: 'bad-request', message: error.message };
  }
}

function isFastifyClientError(error: unknown): error is FastifyError & { statusCode: number } {
  if (!(error instanceof Error)) return false;
  const { code, statusCode } = error as Partial<FastifyError>;
  return typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

/** Routes every failure, and every unknown route, to the JSON error shape. */
export function installErrorHandlers(app: FastifyInstance, limits: { readonly bodyBytesMax: number }): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = errorResponse(error, limits);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(status).headers(headers).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    void reply.code(404).send({ error: 'not-found', message: `no route ${request.method} ${shown}` } satisfies ErrorBody);
  });
}
