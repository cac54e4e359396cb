import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeRequestError } from '../node/node-view.js';
import { FAKE_AREAS, aSlotSummary, type FakeNodeView } from './fake-node-view.fixture.js';
import { aTestServer } from './http-test-client.fixture.js';

let app: FastifyInstance;
let view: FakeNodeView;

async function start(...args: Parameters<typeof aTestServer>): Promise<void> {
  ({ app, view } = await aTestServer(...args));
}

async function get(url: string): Promise<{ status: number; body: unknown; type: string }> {
  const response = await app.inject({ method: 'GET', url });
  const type = String(response.headers['content-type']);
  return { status: response.statusCode, body: type.startsWith('application/json') ? response.json() : response.body, type };
}

afterEach(async () => {
  await app.close();
});

describe('read routes', () => {
  it('GET /healthz answers ok', async () => {
    await start();
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('GET /api/v1/node returns the node info', async () => {
    await start();
    expect(await get('/api/v1/node')).toMatchObject({ status: 200, body: { nodeId: 'node-riverside', lastSlot: 2, demoOutageOpen: false } });
  });

  it('GET /api/v1/areas returns every area', async () => {
    await start();
    expect(await get('/api/v1/areas')).toMatchObject({ status: 200, body: FAKE_AREAS });
  });

  it('GET /api/v1/slots returns the newest summaries, oldest first, 96 by default', async () => {
    await start({ slots: 120 });
    const all = await get('/api/v1/slots');
    expect((all.body as { slot: number }[]).map((s) => s.slot)).toEqual(Array.from({ length: 96 }, (_, i) => i + 24));
    const two = await get('/api/v1/slots?limit=2');
    expect(two).toMatchObject({ status: 200, body: [aSlotSummary(118), aSlotSummary(119)] });
  });

  it('error: GET /api/v1/slots refuses a limit outside 1..historyMax, naming the parameter', async () => {
    await start({}, { limits: { historyMax: 50 } });
    for (const limit of ['0', '51', '-1', '1.5', '1e1', '', ' 5', 'abc']) {
      const response = await get(`/api/v1/slots?limit=${encodeURIComponent(limit)}`);
      expect(response.status, `limit=${limit}`).toBe(400);
      expect(response.body).toEqual({
        error: 'bad-request', message: 'invalid query: limit: expected an integer 1..50', issues: [{ path: 'limit', message: 'expected an integer 1..50' }],
      });
    }
    expect((await get('/api/v1/slots?limit=50')).status).toBe(200);
  });

  it('error: an unknown or repeated query parameter is a 400, not silently ignored', async () => {
    await start();
    expect((await get('/api/v1/slots?limt=5')).body).toMatchObject({ error: 'bad-request', issues: [{ path: 'limt', message: 'unexpected key (not in the schema)' }] });
    expect((await get('/api/v1/node?x=1')).status).toBe(400);
    expect((await get('/api/v1/slots?limit=1&limit=2')).body).toMatchObject({ issues: [{ path: 'limit' }] });
  });

  it('GET /api/v1/slots/latest returns the last slot, or 404 before the first', async () => {
    await start();
    expect(await get('/api/v1/slots/latest')).toMatchObject({ status: 200, body: aSlotSummary(2) });
    await app.close();
    await start({ slots: 0 });
    expect(await get('/api/v1/slots/latest')).toMatchObject({ status: 404, body: { error: 'not-found', message: 'no slot settled yet' } });
  });

  it('GET /api/v1/devices returns the devices', async () => {
    await start();
    const response = await get('/api/v1/devices');
    expect(response.status).toBe(200);
    expect((response.body as { kind: string }[]).map((d) => d.kind)).toEqual(['meter', 'charger', 'battery']);
  });

  it('GET /api/v1/trades and /orders return the last slot, or the slot asked for', async () => {
    await start();
    expect(await get('/api/v1/trades')).toMatchObject({ status: 200, body: [{ slot: 2, site: 'home-1' }, { slot: 2, site: 'home-3' }] });
    expect(await get('/api/v1/trades?slot=1')).toMatchObject({ status: 200, body: [{ slot: 1 }, { slot: 1 }] });
    expect(await get('/api/v1/orders?slot=0')).toMatchObject({ status: 200, body: [{ slot: 0, side: 'bid', source: 'twin' }] });
  });

  it('error: a slot beyond the history is the view\'s not-found, as 404', async () => {
    await start();
    expect(await get('/api/v1/trades?slot=9')).toMatchObject({ status: 404, body: { error: 'not-found', message: 'slot 9 is not in the history' } });
    expect(await get('/api/v1/orders?slot=9')).toMatchObject({ status: 404 });
    expect(await get('/api/v1/orders?slot=x')).toMatchObject({ status: 400, body: { issues: [{ path: 'slot' }] } });
  });

  it('GET /api/v1/flexibility returns the requests', async () => {
    await start();
    expect(await get('/api/v1/flexibility')).toMatchObject({ status: 200, body: [{ id: 'flex-0', status: 'delivered' }] });
  });

  it('GET /api/v1/statements passes limit and microgrid to the view', async () => {
    await start();
    expect(await get('/api/v1/statements')).toMatchObject({ status: 200, body: [{ slot: 0 }, { slot: 1 }, { slot: 2 }] });
    expect(await get('/api/v1/statements?limit=1&microgrid=riverside')).toMatchObject({ status: 200, body: [{ slot: 2, microgrid: 'riverside' }] });
    expect(await get('/api/v1/statements?microgrid=elsewhere')).toMatchObject({ status: 200, body: [] });
  });

  it('GET /api/v1/proofs returns the proof of one leaf', async () => {
    await start();
    expect(await get('/api/v1/proofs?microgrid=riverside&slot=1&kind=readings&index=3')).toMatchObject({
      status: 200, body: { format: 'gridmesh-ledger-proof/1', microgrid: 'riverside', slot: 1, kind: 'readings', index: 3 },
    });
    expect(await get('/api/v1/proofs?microgrid=elsewhere&slot=1&kind=readings&index=0')).toMatchObject({ status: 404 });
  });

  it('error: GET /api/v1/proofs lists every missing or malformed parameter', async () => {
    await start();
    const response = await get('/api/v1/proofs?slot=1&kind=blocks&index=-1');
    expect(response.status).toBe(400);
    expect((response.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['index', 'kind', 'microgrid']);
  });

  it('GET /api/v1/alerts returns at most limit alerts', async () => {
    await start();
    expect(await get('/api/v1/alerts')).toMatchObject({ status: 200, body: [{ kind: 'islanded' }, { kind: 'rejected-reading' }] });
    expect(await get('/api/v1/alerts?limit=1')).toMatchObject({ status: 200, body: [{ kind: 'rejected-reading' }] });
  });

  it('GET / serves the dashboard as HTML when given, else a JSON 404', async () => {
    await start({}, { dashboardHtml: () => '<!doctype html><title>gridmesh</title>' });
    expect(await get('/')).toEqual({ status: 200, body: '<!doctype html><title>gridmesh</title>', type: 'text/html; charset=utf-8' });
    await app.close();
    await start();
    expect(await get('/')).toMatchObject({ status: 404, body: { error: 'not-found' } });
  });

  it('error: an unknown route is a JSON 404, a malformed URL a JSON 400', async () => {
    await start();
    expect(await get('/api/v1/nothing?x=1')).toMatchObject({ status: 404, body: { error: 'not-found', message: 'no route GET /api/v1/nothing' } });
    expect(await get('/api/v1/%zz')).toMatchObject({ status: 400, body: { error: 'bad-request' } });
  });

  it('maps NodeRequestError codes to 404, 400, 409 and 503', async () => {
    await start();
    const cases = [['not-found', 404], ['invalid', 400], ['conflict', 409], ['unavailable', 503]] as const;
    for (const [code, status] of cases) {
      view.throwOn.areas = new NodeRequestError(code, `view says ${code}`);
      expect(await get('/api/v1/areas')).toMatchObject({ status, body: { error: code, message: `view says ${code}` } });
    }
  });

  it('error: a bug in the view is a 500 with a generic message, never the stack', async () => {
    await start();
    view.throwOn.devices = new Error('secret detail at /home/node/src/x.ts:12');
    const response = await app.inject({ method: 'GET', url: '/api/v1/devices' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal', message: 'internal error (details are in the node log)' });
    expect(response.body).not.toContain('secret');
  });

  it('sets nosniff, and no-store on API responses', async () => {
    await start();
    const response = await app.inject({ method: 'GET', url: '/api/v1/node' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
