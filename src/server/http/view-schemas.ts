/**
 * Response schemas: the JSON of node-view.ts as zod, for the OpenAPI document. The type checks at
 * the end fail to compile when node-view.ts and these schemas drift apart.
 */
import { z } from 'zod';
import type {
  AlertView, AreaView, DeviceView, FlexibilityView, NodeInfo, OrderView, OutageAccepted, ProofJson, SlotSummary, StatementView, TradeView,
} from '../node/node-view.js';
import { named, type DeepWritable, type SameShape } from './schema-registry.js';

const slotNumber = z.int().min(0);

export const nodeInfoSchema = named('NodeInfo', z.object({
  nodeId: z.string(),
  area: z.string().describe('the microgrid area this node controls, or the root for a DSO node'),
  scenario: z.string(),
  slotMinutes: z.number(),
  speed: z.number().describe('wall-clock speed-up: 1 = real time'),
  slotWallMs: z.number(),
  lastSlot: z.int().min(-1).describe('the last slot settled (-1 before the first)'),
  totalSlots: z.int(),
  state: z.enum(['starting', 'running', 'finished', 'stopping']),
  demoOutageOpen: z.boolean().describe('true when POST /api/v1/outages accepts unsigned requests (demo mode)'),
  mqtt: z.object({ url: z.string(), embedded: z.boolean() }),
  chain: z.object({ kind: z.enum(['embedded', 'rpc']), chainId: z.int() }),
}));

export const areaViewSchema = named('AreaView', z.object({
  id: z.string(),
  level: z.string(),
  parent: z.string().nullable(),
  status: z.enum(['connected', 'islanded', 'dark']),
  sites: z.int().min(0),
  netImportKw: z.number().describe('kW, positive when the area draws from its parent'),
}));

export const slotSummarySchema = named('SlotSummary', z.object({
  slot: slotNumber,
  twinIso: z.string().describe("the slot's start in twin time (ISO 8601)"),
  settledAtMs: z.number().describe('wall-clock time the slot was settled, ms since the epoch'),
  demandKw: z.number(),
  pvKw: z.number(),
  windKw: z.number(),
  importKw: z.number().min(0),
  exportKw: z.number().min(0),
  unservedKw: z.number(),
  priceMinorPerKwh: z.number(),
  islandPriceMinorPerKwh: z.number().nullable(),
  batterySocPct: z.number().nullable(),
  evPaused: z.int().min(0),
  areas: z.array(areaViewSchema),
  islands: z.array(z.string()),
  readings: z.object({ accepted: z.int(), rejected: z.int(), missing: z.int(), external: z.int() }),
  statements: z.object({ final: z.int(), queued: z.int(), committed: z.int() }),
  latencyMs: z.number(),
}), 'one settled slot; power in kW (mean over the slot), prices in minor units per kWh');

export const deviceViewSchema = named('DeviceView', z.object({
  did: z.string(),
  kind: z.enum(['meter', 'participant', 'charger', 'inverter', 'battery']),
  site: z.string(),
  area: z.string(),
  protocol: z.enum(['mqtt', 'ocpp', 'modbus', 'twin']),
  connected: z.boolean(),
  credential: z.object({
    id: z.string(),
    issuer: z.string(),
    ratedPowerW: z.number(),
    authorisedImportWh: z.number().nullable(),
    expiresAtIso: z.string(),
    revoked: z.boolean(),
  }).nullable(),
  lastReadingSlot: z.int().nullable(),
  powerW: z.number().nullable().optional(),
  paused: z.boolean().optional(),
}));

export const tradeViewSchema = named('TradeView', z.object({
  slot: slotNumber,
  site: z.string(),
  boughtWh: z.number(),
  soldWh: z.number(),
  paidMinor: z.number(),
  receivedMinor: z.number(),
}));

export const orderViewSchema = named('OrderView', z.object({
  slot: slotNumber,
  site: z.string(),
  side: z.enum(['bid', 'offer']),
  energyWh: z.number(),
  priceMinorPerKwh: z.number(),
  source: z.enum(['twin', 'participant', 'api', 'mqtt']),
}));

export const flexibilityViewSchema = named('FlexibilityView', z.object({
  id: z.string(),
  buyer: z.enum(['dso', 'tso']),
  area: z.string(),
  fromSlot: slotNumber,
  toSlot: slotNumber,
  requestedKw: z.number(),
  status: z.enum(['requested', 'active', 'delivered', 'failed']),
  deliveredWh: z.number(),
  paidMinor: z.number(),
}));

export const statementViewSchema = named('StatementView', z.object({
  microgrid: z.string(),
  slot: slotNumber,
  hash: z.string(),
  status: z.enum(['queued', 'submitting', 'committed', 'duplicate', 'conflict', 'failed']),
  signatures: z.int().min(0),
  readings: z.int().min(0),
  orders: z.int().min(0),
  trades: z.int().min(0),
}));

export const alertViewSchema = named('AlertView', z.object({
  slot: slotNumber,
  kind: z.enum(['rejected-reading', 'missing-reading', 'violation', 'islanded', 'reconnected', 'ev-paused', 'dissent', 'device']),
  message: z.string(),
  device: z.string().optional(),
  area: z.string().optional(),
}));

export const proofJsonSchema = named('ProofJson', z.record(z.string(), z.unknown()),
  'the proof of one ledger leaf, format gridmesh-ledger-proof/1 (the JSON of `gridmesh ledger prove`, docs/ledger.md)');

export const outageAcceptedSchema = named('OutageAccepted', z.object({ area: z.string(), fromSlot: slotNumber, toSlot: slotNumber }));

export const orderAcceptedSchema = named('OrderAccepted', z.object({ accepted: z.literal(true), slot: slotNumber }));

export const areaListSchema = named('AreaViewList', z.array(areaViewSchema));
export const slotSummaryListSchema = named('SlotSummaryList', z.array(slotSummarySchema), 'oldest first');
export const deviceListSchema = named('DeviceViewList', z.array(deviceViewSchema));
export const tradeListSchema = named('TradeViewList', z.array(tradeViewSchema));
export const orderListSchema = named('OrderViewList', z.array(orderViewSchema));
export const flexibilityListSchema = named('FlexibilityViewList', z.array(flexibilityViewSchema));
export const statementListSchema = named('StatementViewList', z.array(statementViewSchema));
export const alertListSchema = named('AlertViewList', z.array(alertViewSchema));

export const healthSchema = named('Health', z.object({ ok: z.literal(true) }));
export const openApiDocumentSchema = named('OpenApiDocument', z.record(z.string(), z.unknown()), 'this document (OpenAPI 3.1)');

export const issueSchema = named('Issue', z.object({
  path: z.string().describe("dotted path of the offending value; '(root)' for the whole body or query"),
  message: z.string(),
}));
export const errorBodySchema = named('Error', z.object({
  error: z.string().describe('stable code: bad-request, unauthenticated, forbidden, not-found, payload-too-large, unsupported-media-type, order-rejected, invalid, conflict, unavailable, upgrade-required, internal'),
  message: z.string(),
  issues: z.array(issueSchema).optional().describe('bad-request from a schema: every failed check (at most 20)'),
  reason: z.string().optional().describe("order-rejected: the order gate's reason"),
}));

export const streamHelloSchema = named('StreamHello', z.object({
  type: z.literal('hello'),
  node: nodeInfoSchema,
  latest: slotSummarySchema.nullable(),
}), 'first message on /api/v1/stream');
export const streamSlotSchema = named('StreamSlot', z.object({ type: z.literal('slot'), summary: slotSummarySchema }), 'sent after every settled slot');

const viewShapesMatch: [
  SameShape<z.infer<typeof nodeInfoSchema>, DeepWritable<NodeInfo>>,
  SameShape<z.infer<typeof areaViewSchema>, DeepWritable<AreaView>>,
  SameShape<z.infer<typeof slotSummarySchema>, DeepWritable<SlotSummary>>,
  SameShape<z.infer<typeof deviceViewSchema>, DeepWritable<DeviceView>>,
  SameShape<z.infer<typeof tradeViewSchema>, DeepWritable<TradeView>>,
  SameShape<z.infer<typeof orderViewSchema>, DeepWritable<OrderView>>,
  SameShape<z.infer<typeof flexibilityViewSchema>, DeepWritable<FlexibilityView>>,
  SameShape<z.infer<typeof statementViewSchema>, DeepWritable<StatementView>>,
  SameShape<z.infer<typeof alertViewSchema>, DeepWritable<AlertView>>,
  SameShape<z.infer<typeof proofJsonSchema>, ProofJson>,
  SameShape<z.infer<typeof outageAcceptedSchema>, DeepWritable<OutageAccepted>>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void viewShapesMatch;
