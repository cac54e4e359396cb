/**
 * The only body parser of the API: `application/json`, kept as the raw bytes it arrived as (a
 * signature covers those bytes, not a re-serialisation) and parsed with strict UTF-8 and JSON.
 * Fastify enforces the size bound (`bodyLimit`, 413) before this runs; other media types get 415.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonErrorOffset } from '../../adapters/json-syntax.js';
import { HttpError } from './http-errors.js';

const rawBodies = new WeakMap<FastifyRequest, Uint8Array>();
const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body bytes of a request as received (empty when it had none). */
export function rawBodyOf(request: FastifyRequest): Uint8Array {
  return rawBodies.get(request) ?? EMPTY;
}

export function installRawJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    rawBodies.set(request, body);
    try {
      done(null, parseJson(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function parseJson(body: Uint8Array): unknown {
  if (body.length === 0) throw new HttpError(400, 'bad-request', 'expected a JSON body (got an empty body)');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'bad-request', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad-request', `the body is not valid JSON (syntax error at character ${jsonErrorOffset(text) ?? 0})`);
  }
}
