/**
 * Validates a submitted order book (e.g. parsed JSON) order by order: one bad order is rejected
 * with a reason and never stops the others. Each order is parsed with a strict zod schema (unknown
 * keys are rejected), then checked against the context:
 * - ids are unique: the first order carrying an id claims it (whatever else is wrong with it); any
 *   later order with the same id is rejected as a duplicate;
 * - `slot` < openSlot: the slot is closed; `expiresAtSlot` < openSlot: the order has expired;
 * - `area` not among knownAreas (when given): unknown area.
 * A reason names the path and what was expected: `orders[3].energyWh: expected a positive integer
 * number of Wh (got -5)`; several problems of one order are joined with "; ".
 * Input that is not a list, or a list longer than maxOrders, is an OrderBookError.
 */
import { z } from 'zod';
import { describeValue, formatPath } from '../sim/scenario-validate.js';
import {
  MAX_ABS_PRICE_MINOR_PER_KWH, MAX_ORDER_ENERGY_WH, MAX_ORDER_ID_LENGTH, MAX_ORDERS, MAX_PARTNERS, OrderBookError,
  type Order, type RejectedOrder,
} from './order.js';

export interface OrderCheckContext {
  /** The slot being cleared: earlier slots are closed. */
  openSlot?: number;
  /** When given, an order's `area` must be one of these. */
  knownAreas?: ReadonlySet<string>;
  /** Default MAX_ORDERS. */
  maxOrders?: number;
}

const NAME = `expected a non-empty string of at most ${MAX_ORDER_ID_LENGTH} characters`;
const SLOT = 'expected a slot number (a non-negative integer)';
const ENERGY = 'expected a positive integer number of Wh';
const PRICE = 'expected an integer number of minor currency units per kWh';
const PRICE_RANGE = `expected a price from -${MAX_ABS_PRICE_MINOR_PER_KWH} to ${MAX_ABS_PRICE_MINOR_PER_KWH} minor units per kWh`;

const name = () => z.string({ error: NAME }).min(1, NAME).max(MAX_ORDER_ID_LENGTH, NAME);
const slot = () => z.number({ error: SLOT }).int(SLOT).min(0, SLOT);

export const orderSchema = z.strictObject({
  id: name(),
  side: z.enum(['bid', 'offer'], { error: 'expected "bid" or "offer"' }),
  participant: name().optional(),
  site: name().optional(),
  slot: slot().optional(),
  energyWh: z.number({ error: ENERGY }).int(ENERGY).positive(ENERGY).max(MAX_ORDER_ENERGY_WH, `expected at most ${MAX_ORDER_ENERGY_WH} Wh`),
  priceMinorPerKwh: z.number({ error: PRICE }).int(PRICE).min(-MAX_ABS_PRICE_MINOR_PER_KWH, PRICE_RANGE).max(MAX_ABS_PRICE_MINOR_PER_KWH, PRICE_RANGE),
  area: name().optional(),
  preferences: z.strictObject({
    source: z.enum(['any', 'green'], { error: 'expected "any" or "green"' }).optional(),
    partners: z.array(name(), { error: 'expected a list of participant ids' }).max(MAX_PARTNERS, `expected at most ${MAX_PARTNERS} partners`).optional(),
    community: name().optional(),
  }, { error: 'expected an object with source, partners, community' }).optional(),
  expiresAtSlot: slot().optional(),
}, { error: 'expected an order object' });

/** Splits a submitted book into accepted orders (in submission order) and rejected ones with reasons. */
export function validateOrders(input: unknown, ctx: OrderCheckContext = {}): { accepted: Order[]; rejected: RejectedOrder[] } {
  if (!Array.isArray(input)) throw new OrderBookError(`an order book must be a JSON array of orders (got ${describeValue(input)})`);
  const maxOrders = ctx.maxOrders ?? MAX_ORDERS;
  if (input.length > maxOrders) throw new OrderBookError(`too many orders: at most ${maxOrders} in one book (got ${input.length})`);
  const accepted: Order[] = [];
  const rejected: RejectedOrder[] = [];
  const firstIndexOfId = new Map<string, number>();
  for (let index = 0; index < input.length; index++) {
    const raw: unknown = input[index];
    const id = idOf(raw);
    const reasons: string[] = [];
    if (id !== null) {
      const first = firstIndexOfId.get(id);
      if (first === undefined) firstIndexOfId.set(id, index);
      else reasons.push(`orders[${index}].id: duplicate id ${JSON.stringify(id)} (first at orders[${first}])`);
    }
    const parsed = orderSchema.safeParse(raw, { reportInput: true });
    if (parsed.success) reasons.push(...contextProblems(parsed.data, index, ctx));
    else reasons.push(...issueLines(parsed.error.issues, index));
    if (reasons.length === 0 && parsed.success) accepted.push(parsed.data);
    else rejected.push({ index, id, reason: reasons.join('; ') });
  }
  return { accepted, rejected };
}

function idOf(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' && id.length <= MAX_ORDER_ID_LENGTH ? id : null;
}

function contextProblems(order: Order, index: number, ctx: OrderCheckContext): string[] {
  const problems: string[] = [];
  const at = (key: string): string => `orders[${index}].${key}`;
  if (ctx.openSlot !== undefined && order.slot !== undefined && order.slot < ctx.openSlot) {
    problems.push(`${at('slot')}: slot ${order.slot} is closed (the open slot is ${ctx.openSlot})`);
  }
  if (ctx.openSlot !== undefined && order.expiresAtSlot !== undefined && order.expiresAtSlot < ctx.openSlot) {
    problems.push(`${at('expiresAtSlot')}: the order expired at slot ${order.expiresAtSlot} (the open slot is ${ctx.openSlot})`);
  }
  if (ctx.knownAreas !== undefined && order.area !== undefined && !ctx.knownAreas.has(order.area)) {
    problems.push(`${at('area')}: unknown area ${JSON.stringify(order.area)} (expected one of ${[...ctx.knownAreas].join(', ')})`);
  }
  return problems;
}

/** One line per issue (per key for unknown keys), without repeats. */
function issueLines(issues: readonly z.core.$ZodIssue[], index: number): string[] {
  const lines = issues.flatMap((issue) => {
    const path = ['orders', index, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...path, key])}: no such key (check the spelling)`);
    }
    const got = issue.input === undefined ? 'missing' : `got ${describeValue(issue.input)}`;
    return [`${formatPath(path)}: ${issue.message} (${got})`];
  });
  return [...new Set(lines)];
}
