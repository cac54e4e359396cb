import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signOrder } from '../../core/identity/signed-order.js';
import type { KeyPair } from '../../core/identity/key-pair.js';
import { NodeRequestError } from '../node/node-view.js';
import type { FakeNodeView } from './fake-node-view.fixture.js';
import { TEST_NOW_MS, aTestServer, signedPost, testKeys } from './http-test-client.fixture.js';
import { signRequest } from './request-signing.js';
import { DEMO_CALLER } from './routes-write.js';

let app: FastifyInstance;
let view: FakeNodeView;

async function start(...args: Parameters<typeof aTestServer>): Promise<void> {
  ({ app, view } = await aTestServer(...args));
}

afterEach(async () => {
  await app.close();
});

const OUTAGE = { area: 'riverside', durationSlots: 4 };
const FLEX = { area: 'riverside-street-1', fromSlot: 5, toSlot: 8, requestedKw: 12.5, priceMinorPerKwh: 40 };

function orderOf(signer: KeyPair, participant: KeyPair = signer): string {
  const record = signOrder(signer.privateKey, {
    participantKey: participant.publicKeyRaw, slot: 4, orderSeq: 1, side: 'bid', priorityClass: 2, energyWh: 1_500, priceMinorPerKwh: 31,
  });
  return Buffer.from(record).toString('base64');
}

describe('write authentication (401)', () => {
  it('error: refuses a write without the signature headers', async () => {
    await start();
    const response = await app.inject({ method: 'POST', url: '/api/v1/outages', payload: OUTAGE });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'unauthenticated', message: expect.stringMatching(/^missing header x-gridmesh-did/) });
    expect(response.headers['www-authenticate']).toBe('Gridmesh-Signature');
    expect(view.writes).toEqual([]);
  });

  it('error: refuses each missing header by name', async () => {
    await start();
    for (const header of ['x-gridmesh-did', 'x-gridmesh-time', 'x-gridmesh-signature']) {
      const response = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { [header]: undefined } });
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toContain(`missing header ${header}`);
    }
  });

  it('error: refuses a DID that is not an Ed25519 did:key', async () => {
    await start();
    const response = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { 'x-gridmesh-did': 'did:web:example.com' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/^x-gridmesh-did: expected a did:key/);
  });

  it('error: refuses a signature by another key, or over another body, path or time', async () => {
    await start();
    const other = signRequest(testKeys.tso, 'POST', '/api/v1/outages', JSON.stringify(OUTAGE), TEST_NOW_MS)['x-gridmesh-signature'];
    const otherPath = signRequest(testKeys.dso, 'POST', '/api/v1/flexibility', JSON.stringify(OUTAGE), TEST_NOW_MS)['x-gridmesh-signature'];
    const otherTime = signRequest(testKeys.dso, 'POST', '/api/v1/outages', JSON.stringify(OUTAGE), TEST_NOW_MS - 1)['x-gridmesh-signature'];
    const otherBody = signRequest(testKeys.dso, 'POST', '/api/v1/outages', JSON.stringify({ ...OUTAGE, durationSlots: 5 }), TEST_NOW_MS)['x-gridmesh-signature'];
    for (const signature of [other, otherPath, otherTime, otherBody, 'A'.repeat(86)]) {
      const response = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { 'x-gridmesh-signature': signature } });
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/^the signature does not verify for did:key:/);
    }
    const malformed = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { 'x-gridmesh-signature': 'not base64url!' } });
    expect(malformed.json()).toMatchObject({ error: 'unauthenticated', message: expect.stringContaining('86 base64url characters') });
    expect(view.writes).toEqual([]);
  });

  it('error: the body is hashed as received, so re-encoded JSON does not verify', async () => {
    await start();
    const signedText = JSON.stringify(OUTAGE);
    const headers = signRequest(testKeys.dso, 'POST', '/api/v1/outages', signedText, TEST_NOW_MS);
    const sent = JSON.stringify(OUTAGE, null, 1);
    const response = await app.inject({ method: 'POST', url: '/api/v1/outages', payload: sent, headers: { ...headers, 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(401);
  });

  it('error: refuses a time outside the allowed skew, either way', async () => {
    await start({}, { auth: { skewMs: 30_000 } });
    for (const nowMs of [TEST_NOW_MS - 30_001, TEST_NOW_MS + 30_001]) {
      const response = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { nowMs });
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/^x-gridmesh-time is -?30001 ms from the node's clock \(at most 30000 ms allowed\)$/);
    }
    expect((await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { nowMs: TEST_NOW_MS - 30_000 })).statusCode).toBe(202);
    const malformed = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { 'x-gridmesh-time': '1.7e12' } });
    expect(malformed.json().message).toMatch(/^x-gridmesh-time: expected unix milliseconds/);
  });

  it('error: refuses a replayed request', async () => {
    await start();
    const payload = JSON.stringify(OUTAGE);
    const headers = { ...signRequest(testKeys.dso, 'POST', '/api/v1/outages', payload, TEST_NOW_MS), 'content-type': 'application/json' };
    const first = await app.inject({ method: 'POST', url: '/api/v1/outages', payload, headers });
    const again = await app.inject({ method: 'POST', url: '/api/v1/outages', payload, headers });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(401);
    expect(again.json().message).toMatch(/^replayed request/);
    expect(view.writes).toHaveLength(1);
  });

  it('error: a request evicted from a full replay cache still cannot be replayed', async () => {
    await start({}, { auth: { replayCacheMax: 1 } });
    const payload = JSON.stringify(OUTAGE);
    const headers = { ...signRequest(testKeys.dso, 'POST', '/api/v1/outages', payload, TEST_NOW_MS - 1), 'content-type': 'application/json' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/outages', payload, headers })).statusCode).toBe(202);
    expect((await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE)).statusCode).toBe(202);
    const replay = await app.inject({ method: 'POST', url: '/api/v1/outages', payload, headers });
    expect(replay.statusCode).toBe(401);
    expect(view.writes).toHaveLength(2);
  });
});

describe('write roles (403)', () => {
  it('error: refuses a caller with no role, naming the roles needed', async () => {
    await start();
    const response = await signedPost(app, testKeys.stranger, '/api/v1/outages', OUTAGE);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'forbidden', message: `needs role dso or tso; ${testKeys.stranger.did} has no role` });
  });

  it('error: refuses a participant on operator routes and an operator on orders', async () => {
    await start();
    const flex = await signedPost(app, testKeys.participant, '/api/v1/flexibility', FLEX);
    expect(flex.statusCode).toBe(403);
    expect(flex.json().message).toBe(`needs role dso or tso; ${testKeys.participant.did} has role participant`);
    const order = await signedPost(app, testKeys.dso, '/api/v1/orders', { order: orderOf(testKeys.dso) });
    expect(order.json()).toEqual({ error: 'forbidden', message: `needs role participant; ${testKeys.dso.did} has role dso` });
    expect(view.writes).toEqual([]);
  });
});

describe('write bodies (400, 413, 415)', () => {
  it('error: names the path and what was expected', async () => {
    await start();
    const response = await signedPost(app, testKeys.dso, '/api/v1/outages', { area: 'riverside', durationSlots: 2.5 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'bad-request',
      message: 'invalid body: durationSlots: expected an integer 1..672',
      issues: [{ path: 'durationSlots', message: 'expected an integer 1..672' }],
    });
  });

  it('error: checks flexibility bounds and the slot order', async () => {
    await start();
    const response = await signedPost(app, testKeys.tso, '/api/v1/flexibility', { ...FLEX, requestedKw: 0, fromSlot: 9, extra: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([
      { path: 'requestedKw', message: 'expected requestedKw > 0' },
      { path: 'extra', message: 'unexpected key (not in the schema)' },
      { path: 'toSlot', message: 'expected toSlot >= fromSlot' },
    ]);
    const reversed = await signedPost(app, testKeys.tso, '/api/v1/flexibility', { ...FLEX, fromSlot: 9 });
    expect(reversed.json().issues).toEqual([{ path: 'toSlot', message: 'expected toSlot >= fromSlot' }]);
  });

  it('error: a body that is not an object is reported at (root)', async () => {
    await start();
    const response = await signedPost(app, testKeys.dso, '/api/v1/outages', [1, 2]);
    expect(response.json()).toMatchObject({ error: 'bad-request', issues: [{ path: '(root)' }] });
  });

  it('error: invalid JSON and invalid UTF-8 are 400', async () => {
    await start();
    const json = await signedPost(app, testKeys.dso, '/api/v1/outages', '{"area": "riverside",');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ error: 'bad-request', message: 'the body is not valid JSON (syntax error at character 21)' });
    const bytes = await app.inject({ method: 'POST', url: '/api/v1/outages', payload: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json' } });
    expect(bytes.json()).toEqual({ error: 'bad-request', message: 'the body is not valid UTF-8' });
  });

  it('error: a body over bodyBytesMax is 413 before any other check', async () => {
    await start({}, { limits: { bodyBytesMax: 1024 } });
    const response = await signedPost(app, testKeys.dso, '/api/v1/outages', { ...OUTAGE, area: 'x'.repeat(1100) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'payload-too-large', message: 'the body is larger than 1024 bytes' });
  });

  it('error: a body that is not application/json is 415', async () => {
    await start();
    const response = await app.inject({ method: 'POST', url: '/api/v1/outages', payload: 'area=riverside', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: 'unsupported-media-type', message: 'expected content-type application/json' });
  });
});

describe('POST /api/v1/outages', () => {
  it('triggers the outage for a dso or tso and passes the caller DID', async () => {
    await start();
    const response = await signedPost(app, testKeys.tso, '/api/v1/outages', OUTAGE);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ area: 'riverside', fromSlot: 3, toSlot: 7 });
    expect(view.writes).toEqual([{ kind: 'outage', request: OUTAGE, by: testKeys.tso.did }]);
  });

  it('accepts an unsigned request while demoOutageOpen, as the demo caller', async () => {
    await start({ demoOutageOpen: true });
    const response = await app.inject({ method: 'POST', url: '/api/v1/outages', payload: OUTAGE });
    expect(response.statusCode).toBe(202);
    expect(view.writes).toEqual([{ kind: 'outage', request: OUTAGE, by: DEMO_CALLER }]);
    view.demoOutageOpen = false;
    expect((await app.inject({ method: 'POST', url: '/api/v1/outages', payload: OUTAGE })).statusCode).toBe(401);
  });

  it('error: while demoOutageOpen a signed request is still checked', async () => {
    await start({ demoOutageOpen: true });
    const bad = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { headers: { 'x-gridmesh-signature': 'A'.repeat(86) } });
    expect(bad.statusCode).toBe(401);
    expect((await signedPost(app, testKeys.participant, '/api/v1/outages', OUTAGE)).statusCode).toBe(403);
    const good = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE);
    expect(good.statusCode).toBe(202);
    expect(view.writes.map((w) => w.by)).toEqual([testKeys.dso.did]);
    expect((await app.inject({ method: 'POST', url: '/api/v1/outages', payload: { area: 'x', durationSlots: 0 } })).statusCode).toBe(400);
  });

  it("error: the view's not-found and conflict become 404 and 409", async () => {
    await start();
    expect((await signedPost(app, testKeys.dso, '/api/v1/outages', { ...OUTAGE, area: 'atlantis' })).json()).toEqual({ error: 'not-found', message: 'no area atlantis' });
    view.throwOn.triggerOutage = new NodeRequestError('conflict', 'riverside is already out');
    const conflict = await signedPost(app, testKeys.dso, '/api/v1/outages', OUTAGE, { nowMs: TEST_NOW_MS + 1 });
    expect(conflict.statusCode).toBe(409);
  });
});

describe('POST /api/v1/flexibility', () => {
  it('records the request and answers 201 with the view', async () => {
    await start();
    const response = await signedPost(app, testKeys.dso, '/api/v1/flexibility', FLEX);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: 'flex-1', buyer: 'dso', area: 'riverside-street-1', fromSlot: 5, toSlot: 9, requestedKw: 12.5, status: 'requested', deliveredWh: 0, paidMinor: 0,
    });
    expect(view.writes).toEqual([{ kind: 'flexibility', request: FLEX, by: testKeys.dso.did }]);
  });
});

describe('POST /api/v1/orders', () => {
  it("passes a participant's own order to the view and answers 202 with its slot", async () => {
    await start();
    const order = orderOf(testKeys.participant);
    const response = await signedPost(app, testKeys.participant, '/api/v1/orders', { order });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: true, slot: 4 });
    expect(view.writes).toEqual([{ kind: 'order', signedOrder: new Uint8Array(Buffer.from(order, 'base64')), by: testKeys.participant.did }]);
  });

  it("error: refuses an order whose participantKey is not the caller's", async () => {
    await start();
    const response = await signedPost(app, testKeys.participant, '/api/v1/orders', { order: orderOf(testKeys.otherParticipant) });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'forbidden', message: `the order is signed for ${testKeys.otherParticipant.did}, not for the caller ${testKeys.participant.did}` });
    expect(view.writes).toEqual([]);
  });

  it("error: the gate's rejection is a 422 with its reason", async () => {
    await start();
    view.orderOutcome = { accepted: false, reason: 'stale-sequence' };
    const response = await signedPost(app, testKeys.participant, '/api/v1/orders', { order: orderOf(testKeys.participant) });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ error: 'order-rejected', message: 'order rejected: stale-sequence', reason: 'stale-sequence' });
  });

  it('error: an order that is not a base64 115-byte record is a 400', async () => {
    await start();
    const response = await signedPost(app, testKeys.participant, '/api/v1/orders', { order: Buffer.alloc(114).toString('base64') });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([{ path: 'order', message: 'expected the 115-byte signed order record in base64 (156 characters)' }]);
  });
});
