/** Helpers for tests that call the API: test keys, a fixed clock, and signed `inject` requests. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { deriveKeyPair, type KeyPair } from '../../core/identity/key-pair.js';
import type { Role } from '../node/node-view.js';
import { FakeNodeView, type FakeNodeViewOptions } from './fake-node-view.fixture.js';
import { createHttpServer, type HttpServerOptions } from './http-server.js';
import { signRequest, type RequestSigner } from './request-signing.js';

/** The node clock in API tests. */
export const TEST_NOW_MS = 1_767_268_800_000;
const TEST_SEED = 7;

/** Deterministic test keys (simulation keys: not secret). */
export const testKeys = {
  tso: deriveKeyPair(TEST_SEED, 'operator/tso'),
  dso: deriveKeyPair(TEST_SEED, 'operator/dso'),
  participant: deriveKeyPair(TEST_SEED, 'participant/home-1'),
  otherParticipant: deriveKeyPair(TEST_SEED, 'participant/home-2'),
  stranger: deriveKeyPair(TEST_SEED, 'stranger'),
} as const satisfies Record<string, KeyPair>;

export const TEST_ROLES: Readonly<Record<string, Role>> = {
  [testKeys.tso.did]: 'tso',
  [testKeys.dso.did]: 'dso',
  [testKeys.participant.did]: 'participant',
  [testKeys.otherParticipant.did]: 'participant',
};

/** A server over a FakeNodeView that knows the test keys' roles, with the test clock. */
export async function aTestServer(
  viewOptions: FakeNodeViewOptions = {},
  serverOptions: Partial<Omit<HttpServerOptions, 'view'>> = {},
): Promise<{ app: FastifyInstance; view: FakeNodeView }> {
  const view = new FakeNodeView({ roles: TEST_ROLES, ...viewOptions });
  const app = await createHttpServer({ view, ...serverOptions, auth: { nowMs: () => TEST_NOW_MS, ...serverOptions.auth } });
  return { app, view };
}

export interface SignedPostOptions {
  readonly nowMs?: number;
  /** Override (or with undefined, drop) headers after signing, to test tampering. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** POSTs `body` (JSON-encoded unless a string) signed by `signer` at the test clock. */
export function signedPost(app: FastifyInstance, signer: RequestSigner, url: string, body: unknown, options: SignedPostOptions = {}): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signed = signRequest(signer, 'POST', url, payload, options.nowMs ?? TEST_NOW_MS);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries({ ...signed, ...options.headers })) if (value !== undefined) headers[name] = value;
  return app.inject({ method: 'POST', url, payload, headers });
}
