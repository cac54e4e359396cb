/**
 * A stand-in for a running node's HTTP/WebSocket API (src/server/http/), for the dashboard's
 * browser test while the real server is built. It serves the dashboard at `/`, the JSON routes the
 * page reads, POST /api/v1/outages and the /api/v1/stream WebSocket, from deterministic data: a
 * slot's summary is a function of its number and the outages accepted so far, and a new slot
 * settles every `slotIntervalMs`. The wire shapes are the types of src/server/node/node-view.ts.
 *
 * Areas: dso > city > north (this node's microgrid) > street-1, street-2; city > south > street-3,
 * street-4. An outage cuts an area off its parent from the next slot on: it and every area below it
 * are islanded, and the node's alerts say so when it starts and ends.
 */
import { createHash } from 'node:crypto';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyReply } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type {
  AlertView, AreaStatus, AreaView, DeviceView, FlexibilityView, NodeInfo, OrderView, OutageAccepted, SlotSummary,
  StatementView, TradeView,
} from '../../src/server/node/node-view.js';
import { dashboardHtml } from '../../src/web/dashboard-page.js';

export interface FakeNodeOptions {
  /** Wall-clock ms between slots; default 100. */
  slotIntervalMs?: number;
  /** NodeInfo.demoOutageOpen; default true. */
  demoOutageOpen?: boolean;
  /** The last slot settled when the node starts; default 199 (two days of history). */
  lastSlot?: number;
  /** Puts HTML into a device's site and an alert's message, to check the page shows it as text. */
  hostileText?: boolean;
  /** Largest `limit` of the list routes, as the real API's limits.historyMax: a larger one is a 400. Default 2000. */
  historyMax?: number;
}

export interface FakeNode {
  /** The dashboard's address, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly nodeArea: string;
  lastSlot(): number;
  readonly outages: readonly OutageAccepted[];
  /** Closes every open stream from the server side (clients are expected to reconnect). */
  dropStreams(): void;
  /** Jumps `count` slots ahead without telling the streams; the next slot is announced as usual. */
  skipSlots(count: number): void;
  close(): Promise<void>;
}

export const HOSTILE_SITE = '<img src=x onerror="globalThis.__pwned = 1">';
export const HOSTILE_MESSAGE = '</li><script>globalThis.__pwned = 2</script>';

const NODE_AREA = 'north';
const SLOT_MINUTES = 15;
const TWIN_START_MS = Date.parse('2025-06-02T00:00:00+02:00');
const TWIN_OFFSET_MS = 2 * 3_600_000;
const MAX_HISTORY = 2_000;
const MAX_ALERTS = 1_000;
const READINGS_PER_STATEMENT = 45;
const AREAS: readonly { id: string; level: string; parent: string | null; sites: number }[] = [
  { id: 'dso', level: 'dso', parent: null, sites: 0 },
  { id: 'city', level: 'city', parent: 'dso', sites: 0 },
  { id: 'north', level: 'neighbourhood', parent: 'city', sites: 0 },
  { id: 'street-1', level: 'street', parent: 'north', sites: 12 },
  { id: 'street-2', level: 'street', parent: 'north', sites: 8 },
  { id: 'south', level: 'neighbourhood', parent: 'city', sites: 0 },
  { id: 'street-3', level: 'street', parent: 'south', sites: 15 },
  { id: 'street-4', level: 'street', parent: 'south', sites: 10 },
];

const outageBody = z.strictObject({ area: z.string().min(1).max(128), durationSlots: z.number().int().min(1).max(96 * 7) });
const slotQuery = z.strictObject({ slot: z.coerce.number().int().min(0).optional() });
const proofQuery = z.strictObject({
  microgrid: z.string().min(1).max(128), slot: z.coerce.number().int().min(0), kind: z.enum(['readings', 'orders', 'trades']), index: z.coerce.number().int().min(0),
});
/** Queries of the list routes: strict, like the real API's, with `limit` in 1..historyMax. */
function listQueries(historyMax: number) {
  const limit = z.coerce.number().int().min(1).max(historyMax).optional();
  return { list: z.strictObject({ limit }), statements: z.strictObject({ limit, microgrid: z.string().min(1).max(128).optional() }) };
}

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function twinIso(slot: number): string {
  const local = new Date(TWIN_START_MS + slot * SLOT_MINUTES * 60_000 + TWIN_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+02:00`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

class FakeGrid {
  lastSlot: number;
  readonly outages: OutageAccepted[] = [];
  readonly alerts: AlertView[] = [];

  constructor(lastSlot: number, private readonly hostile: boolean) {
    this.lastSlot = lastSlot;
  }

  /** The outage areas cutting `area` (or one of its ancestors) off at `slot`. */
  private cutAt(area: string, slot: number): string | null {
    for (let id: string | null = area; id !== null; id = AREAS.find((a) => a.id === id)?.parent ?? null) {
      const cut = id;
      if (this.outages.some((o) => o.area === cut && slot >= o.fromSlot && slot <= o.toSlot)) return cut;
    }
    return null;
  }

  status(area: string, slot: number): AreaStatus {
    return this.cutAt(area, slot) === null ? 'connected' : 'islanded';
  }

  areas(slot: number): AreaView[] {
    const own = (id: string, index: number): number => round1(20 + 15 * Math.sin((slot + index * 7) / 9));
    const netImport = (id: string): number => {
      if (this.status(id, slot) === 'islanded' && this.cutAt(id, slot) === id) return 0;
      const children = AREAS.filter((a) => a.parent === id);
      if (children.length === 0) return own(id, AREAS.findIndex((a) => a.id === id));
      return round1(children.reduce((sum, c) => sum + netImport(c.id), 0));
    };
    const sites = (id: string): number => {
      const area = AREAS.find((a) => a.id === id);
      return (area?.sites ?? 0) + AREAS.filter((a) => a.parent === id).reduce((sum, c) => sum + sites(c.id), 0);
    };
    return AREAS.map((a) => ({ id: a.id, level: a.level, parent: a.parent, status: this.status(a.id, slot), sites: sites(a.id), netImportKw: netImport(a.id) }));
  }

  islands(slot: number): string[] {
    return this.outages.filter((o) => slot >= o.fromSlot && slot <= o.toSlot).map((o) => o.area);
  }

  summary(slot: number): SlotSummary {
    const hour = ((slot * SLOT_MINUTES) / 60) % 24;
    const demandKw = round1(320 + 110 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + 15 * Math.sin(slot / 3));
    const pvKw = round1(hour > 6 && hour < 20 ? 260 * Math.sin((Math.PI * (hour - 6)) / 14) : 0);
    const windKw = round1(60 + 40 * Math.sin(slot / 17));
    const islanded = this.status(NODE_AREA, slot) === 'islanded';
    const residual = demandKw - pvKw - windKw;
    const queued = this.statementsQueuedAt(slot);
    return {
      slot,
      twinIso: twinIso(slot),
      settledAtMs: TWIN_START_MS + slot * 100,
      demandKw,
      pvKw,
      windKw,
      importKw: islanded ? 0 : round1(Math.max(0, residual)),
      exportKw: islanded ? 0 : round1(Math.max(0, -residual)),
      unservedKw: islanded ? round1(Math.max(0, residual - 90)) : 0,
      priceMinorPerKwh: round1(22 + 9 * Math.sin((2 * Math.PI * (hour - 12)) / 24)),
      islandPriceMinorPerKwh: islanded ? round1(48 + 6 * Math.sin(slot / 2)) : null,
      batterySocPct: round1(55 + 35 * Math.sin(slot / 23)),
      evPaused: islanded ? 4 : slot % 11 === 0 ? 1 : 0,
      areas: this.areas(slot),
      islands: this.islands(slot),
      readings: { accepted: READINGS_PER_STATEMENT - (slot % 10 === 0 ? 1 : 0), rejected: slot % 13 === 0 ? 1 : 0, missing: slot % 10 === 0 ? 1 : 0, external: 2 },
      statements: { final: 1, queued, committed: slot + 1 - queued },
      latencyMs: 20 + (slot % 7) * 3,
    };
  }

  /** The statement of an islanded slot stays queued until the outage that islanded it is over. */
  private statementQueued(slot: number, now: number): boolean {
    const cut = this.cutAt(NODE_AREA, slot);
    return cut !== null && this.outages.some((o) => o.area === cut && slot >= o.fromSlot && slot <= o.toSlot && now <= o.toSlot);
  }

  private statementsQueuedAt(now: number): number {
    const queued = new Set<number>();
    for (const o of this.outages) {
      for (let s = o.fromSlot; s <= Math.min(o.toSlot, now); s++) if (this.statementQueued(s, now)) queued.add(s);
    }
    return queued.size;
  }

  history(limit: number): SlotSummary[] {
    const from = Math.max(0, this.lastSlot - Math.min(limit, MAX_HISTORY) + 1);
    const slots: SlotSummary[] = [];
    for (let s = from; s <= this.lastSlot; s++) slots.push(this.summary(s));
    return slots;
  }

  statements(limit: number, microgrid: string | undefined): StatementView[] {
    if (microgrid !== undefined && microgrid !== NODE_AREA) return [];
    const list: StatementView[] = [];
    for (let s = this.lastSlot; s >= 0 && list.length < limit; s--) {
      list.push({
        microgrid: NODE_AREA, slot: s, hash: `0x${hex(`${NODE_AREA}:${s}`)}`,
        status: this.statementQueued(s, this.lastSlot) ? 'queued' : 'committed',
        signatures: 3, readings: this.summary(s).readings.accepted, orders: 30, trades: 20,
      });
    }
    return list;
  }

  devices(): DeviceView[] {
    const device = (n: number, kind: DeviceView['kind'], protocol: DeviceView['protocol'], site: string, area: string): DeviceView => ({
      did: `did:key:z6Mk${hex(`device-${n}`).slice(0, 40)}`, kind, site, area, protocol,
      connected: protocol === 'twin' || n % 3 !== 2,
      credential: kind === 'participant' ? null : {
        id: `urn:uuid:${hex(`credential-${n}`).slice(0, 32)}`, issuer: 'did:key:z6MkDsoGatekeeper', ratedPowerW: 11_000,
        authorisedImportWh: kind === 'charger' ? 2_750 : null, expiresAtIso: '2026-06-01T00:00:00Z', revoked: n === 5,
      },
      lastReadingSlot: Math.max(0, this.lastSlot - (n % 3)),
    });
    return [
      device(0, 'meter', 'mqtt', 'home-1', 'street-1'),
      device(1, 'charger', 'ocpp', 'home-2', 'street-1'),
      device(2, 'inverter', 'modbus', this.hostile ? HOSTILE_SITE : 'farm-1', 'street-2'),
      device(3, 'battery', 'mqtt', 'school', 'street-2'),
      device(4, 'meter', 'twin', 'bakery', 'street-2'),
      device(5, 'participant', 'twin', 'home-3', 'street-1'),
    ];
  }

  proof(microgrid: string, slot: number, kind: 'readings' | 'orders' | 'trades', index: number): Record<string, unknown> | null {
    if (microgrid !== NODE_AREA || slot > this.lastSlot) return null;
    const count = kind === 'readings' ? this.summary(slot).readings.accepted : kind === 'orders' ? 30 : 20;
    if (index >= count) return null;
    // The shape of `gridmesh ledger prove` (src/adapters/trust/ledger-proof.ts), with made-up hashes.
    const siblings = [1, 2, 3, 4, 5, 6].map((level) => `0x${hex(`${microgrid}:${slot}:${kind}:${index}:${level}`)}`);
    return {
      format: 'gridmesh-ledger-proof/1', kind, unit: microgrid, microgrid: `0x${hex(microgrid).slice(0, 64)}`, slot,
      device: kind === 'trades' ? null : this.devices()[0]?.did ?? null, site: 'home-1',
      leaf: `0x${hex(`${microgrid}:${slot}:${kind}:${index}`)}`, index, leafCount: count, siblings, root: `0x${hex(`${microgrid}:${slot}:${kind}`)}`,
      statementHash: `0x${hex(`${microgrid}:${slot}`)}`, signatures: ['0x01', '0x02', '0x03'],
    };
  }

  /** Settles the next slot and records its alerts. */
  advance(): SlotSummary {
    this.lastSlot++;
    const s = this.lastSlot;
    for (const o of this.outages) {
      if (o.fromSlot === s) this.alert({ slot: s, kind: 'islanded', area: o.area, message: `${o.area} islanded: upstream supply cut (demo outage)` });
      if (o.toSlot + 1 === s) this.alert({ slot: s, kind: 'reconnected', area: o.area, message: `${o.area} reconnected to its parent; queued statements are being committed` });
    }
    if (s % 10 === 0) this.alert({ slot: s, kind: 'missing-reading', device: this.devices()[0]?.did ?? '', message: this.hostile ? HOSTILE_MESSAGE : 'meter reading missing for the slot' });
    if (s % 13 === 0) this.alert({ slot: s, kind: 'rejected-reading', device: this.devices()[3]?.did ?? '', message: 'reading rejected: signature does not verify' });
    return this.summary(s);
  }

  private alert(alert: AlertView): void {
    this.alerts.push(alert);
    if (this.alerts.length > MAX_ALERTS) this.alerts.splice(0, this.alerts.length - MAX_ALERTS);
  }
}

function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}

export async function startFakeNode(options: FakeNodeOptions = {}): Promise<FakeNode> {
  const slotIntervalMs = options.slotIntervalMs ?? 100;
  const grid = new FakeGrid(options.lastSlot ?? 199, options.hostileText === true);
  const queries = listQueries(options.historyMax ?? MAX_HISTORY);
  const info = (): NodeInfo => ({
    nodeId: 'fake-node-north', area: NODE_AREA, scenario: 'dashboard-fixture', slotMinutes: SLOT_MINUTES, speed: (SLOT_MINUTES * 60_000) / slotIntervalMs,
    slotWallMs: slotIntervalMs, lastSlot: grid.lastSlot, totalSlots: 96 * 365, state: 'running', demoOutageOpen: options.demoOutageOpen ?? true,
    mqtt: { url: 'mqtt://127.0.0.1:1883', embedded: true }, chain: { kind: 'embedded', chainId: 31337 },
  });
  const streams = new Set<WebSocket>();
  const app = Fastify({ logger: false });
  await app.register(websocket, { options: { maxPayload: 4096 } });

  app.setErrorHandler((error, _request, reply) => sendError(reply, 400, 'bad-request', error instanceof Error ? error.message : String(error)));
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(dashboardHtml({ title: 'gridmesh: fake node' })));
  app.get('/api/v1/node', () => info());
  app.get('/api/v1/areas', () => grid.areas(grid.lastSlot));
  app.get('/api/v1/slots', (request) => grid.history(queries.list.parse(request.query).limit ?? 96));
  app.get('/api/v1/slots/latest', (_request, reply) =>
    grid.lastSlot < 0 ? sendError(reply, 404, 'not-found', 'no slot settled yet') : grid.summary(grid.lastSlot));
  app.get('/api/v1/devices', () => grid.devices());
  app.get('/api/v1/trades', (request): TradeView[] => {
    const slot = slotQuery.parse(request.query).slot ?? grid.lastSlot;
    return [{ slot, site: 'home-1', boughtWh: 1_250, soldWh: 0, paidMinor: 31, receivedMinor: 0 }];
  });
  app.get('/api/v1/orders', (request): OrderView[] => {
    const slot = slotQuery.parse(request.query).slot ?? grid.lastSlot;
    return [{ slot, site: 'home-1', side: 'bid', energyWh: 1_250, priceMinorPerKwh: 25, source: 'twin' }];
  });
  app.get('/api/v1/flexibility', (): FlexibilityView[] => [
    { id: 'flex-1', buyer: 'dso', area: 'street-1', fromSlot: 96, toSlot: 100, requestedKw: 20, status: 'delivered', deliveredWh: 24_000, paidMinor: 480 },
  ]);
  app.get('/api/v1/statements', (request) => {
    const query = queries.statements.parse(request.query);
    return grid.statements(query.limit ?? 100, query.microgrid);
  });
  app.get('/api/v1/proofs', (request, reply) => {
    const q = proofQuery.parse(request.query);
    return grid.proof(q.microgrid, q.slot, q.kind, q.index) ?? sendError(reply, 404, 'not-found', `no ${q.kind} leaf ${q.index} in ${q.microgrid} slot ${q.slot}`);
  });
  app.get('/api/v1/alerts', (request) => {
    const limit = queries.list.parse(request.query).limit ?? 100;
    return grid.alerts.slice(-limit).reverse();
  });
  app.post('/api/v1/outages', (request, reply) => {
    if (!info().demoOutageOpen) return sendError(reply, 401, 'unauthenticated', 'an outage needs a request signed by an operator (TSO or DSO)');
    const parsed = outageBody.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'bad-request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { area, durationSlots } = parsed.data;
    if (!AREAS.some((a) => a.id === area)) return sendError(reply, 404, 'not-found', `no area ${area}`);
    const accepted: OutageAccepted = { area, fromSlot: grid.lastSlot + 1, toSlot: grid.lastSlot + durationSlots };
    grid.outages.push(accepted);
    return reply.code(202).send(accepted);
  });
  app.get('/api/v1/stream', { websocket: true }, (socket) => {
    streams.add(socket);
    socket.on('close', () => streams.delete(socket));
    socket.send(JSON.stringify({ type: 'hello', node: info(), latest: grid.lastSlot < 0 ? null : grid.summary(grid.lastSlot) }));
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fake node: no TCP address');

  const timer = setInterval(() => {
    const message = JSON.stringify({ type: 'slot', summary: grid.advance() });
    for (const socket of streams) socket.send(message);
  }, slotIntervalMs);

  return {
    url: `http://127.0.0.1:${address.port}/`,
    nodeArea: NODE_AREA,
    lastSlot: () => grid.lastSlot,
    outages: grid.outages,
    dropStreams: () => {
      for (const socket of streams) socket.close(1012, 'fake node restarts its stream');
    },
    skipSlots: (count) => {
      grid.lastSlot += count;
    },
    close: async () => {
      clearInterval(timer);
      await app.close();
    },
  };
}
