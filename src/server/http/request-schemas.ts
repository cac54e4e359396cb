/**
 * Schemas of what clients send: query strings and JSON bodies, parsed once at the edge. Objects
 * are strict (an unknown key or query parameter is a 400, so a typo is never silently ignored) and
 * every message says what was expected.
 */
import { z } from 'zod';
import type { FlexibilityRequest, OutageRequest } from '../node/node-view.js';
import { SIGNED_ORDER_BYTES } from '../../core/identity/signed-order.js';
import { named, type DeepWritable, type SameShape } from './schema-registry.js';

/** An outage lasts at most a week of 15-minute slots. */
export const OUTAGE_DURATION_SLOTS_MAX = 96 * 7;
/** Slots and indexes are uint32 in the ledger's records. */
export const UINT32_MAX = 0xffff_ffff;
const INT32_MAX = 0x7fff_ffff;
/** Above any flexibility a single DSO or TSO request needs (10 GW). */
export const REQUESTED_KW_MAX = 10_000_000;
export const ID_CHARS_MAX = 128;
/** A signed order is 115 bytes: 156 base64 characters ending in "==". */
export const ORDER_BASE64_CHARS = Math.ceil(SIGNED_ORDER_BYTES / 3) * 4;

function intIn(min: number, max: number): z.ZodInt {
  const error = `expected an integer ${min}..${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const id = (what: string): z.ZodString => {
  const error = `expected ${what} of 1..${ID_CHARS_MAX} characters`;
  return z.string({ error }).min(1, { error }).max(ID_CHARS_MAX, { error });
};

/** A query parameter holding a decimal integer in [min, max] (no sign, exponent or spaces). */
function queryInt(min: number, max: number) {
  const error = `expected an integer ${min}..${max}`;
  return z.string({ error }).regex(/^(0|[1-9]\d{0,15})$/, { error }).transform(Number).pipe(intIn(min, max));
}

/** Routes without parameters refuse any query parameter. */
export const noQuerySchema = z.strictObject({});

const LEAF_KINDS = ['readings', 'orders', 'trades'] as const;

/** Query schemas of the read routes; list limits are bounded by `historyMax`. */
export function readQuerySchemas(historyMax: number) {
  const limit = (byDefault: number) => queryInt(1, historyMax).default(Math.min(byDefault, historyMax));
  return {
    none: noQuerySchema,
    slots: z.strictObject({ limit: limit(96) }),
    slot: z.strictObject({ slot: queryInt(0, UINT32_MAX).optional() }),
    statements: z.strictObject({ limit: limit(100), microgrid: id('a microgrid id').optional() }),
    proof: z.strictObject({
      microgrid: id('a microgrid id'),
      slot: queryInt(0, UINT32_MAX),
      kind: z.enum(LEAF_KINDS, { error: `expected one of ${LEAF_KINDS.join(', ')}` }),
      index: queryInt(0, UINT32_MAX),
    }),
    alerts: z.strictObject({ limit: limit(100) }),
  };
}

export type ReadQuerySchemas = ReturnType<typeof readQuerySchemas>;

export const outageRequestSchema = named('OutageRequest', z.strictObject({
  area: id('an area id'),
  durationSlots: intIn(1, OUTAGE_DURATION_SLOTS_MAX).describe('slots from the next slot on'),
}), "an outage of the area's upstream link");

export const flexibilityRequestSchema = named('FlexibilityRequest', z.strictObject({
  area: id('an area id'),
  fromSlot: intIn(0, UINT32_MAX),
  toSlot: intIn(0, UINT32_MAX).describe('inclusive, >= fromSlot'),
  requestedKw: z.number({ error: 'expected a finite number of kW' }).positive({ error: 'expected requestedKw > 0' })
    .max(REQUESTED_KW_MAX, { error: `expected at most ${REQUESTED_KW_MAX} kW` }),
  priceMinorPerKwh: intIn(0, INT32_MAX).describe('price cap, minor currency units per kWh'),
}).refine((r) => r.fromSlot <= r.toSlot, { path: ['toSlot'], error: 'expected toSlot >= fromSlot' }),
'flexibility bought by the DSO or TSO over slots fromSlot..toSlot');

export const orderSubmissionSchema = named('OrderSubmission', z.strictObject({
  order: z.string({ error: 'expected a string' }).regex(new RegExp(`^[A-Za-z0-9+/]{${ORDER_BASE64_CHARS - 2}}==$`), {
    error: `expected the ${SIGNED_ORDER_BYTES}-byte signed order record in base64 (${ORDER_BASE64_CHARS} characters)`,
  }),
}), 'a signed order record (docs/identity.md), base64');

const requestShapesMatch: [
  SameShape<z.infer<typeof outageRequestSchema>, DeepWritable<OutageRequest>>,
  SameShape<z.infer<typeof flexibilityRequestSchema>, DeepWritable<FlexibilityRequest>>,
] = [true, true];
void requestShapesMatch;
