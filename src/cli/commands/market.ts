/**
 * `gridmesh market clear ORDERS.json [--mechanism pay-as-clear|pay-as-bid] [--slot N] [--areas LIST] [--json]`
 *
 * Reads an order book (a JSON list of bids and offers for one area and slot), rejects bad orders
 * one by one (each with a warning on stderr), clears the rest with the double auction and prints
 * a summary or, with --json, the trades and rejections. Expected failures (missing file, not JSON,
 * not a list, bad option) are typed errors: main prints `error: …` and exits with code 2.
 */
import type { Command } from 'commander';
import { readBoundedTextFile, type TextFileKind } from '../../adapters/bounded-text-file.js';
import { jsonErrorOffset, lineColumnOf } from '../../adapters/json-syntax.js';
import { UsageError } from '../../core/errors.js';
import { clearOrders, type ClearedOrders, type Trade } from '../../core/market/clear-orders.js';
import { MECHANISMS, type Mechanism } from '../../core/market/double-auction.js';
import { OrderBookError, type Order, type RejectedOrder } from '../../core/market/order.js';
import { validateOrders, type OrderCheckContext } from '../../core/market/order-validation.js';

/** 2,000,000 orders of ~100 bytes fit; V8 cannot hold a string much above 512 MiB anyway. */
export const MAX_ORDER_FILE_BYTES = 256 * 2 ** 20;
/** Rejections beyond this many are counted on stderr, not listed (--json lists them all). */
export const MAX_WARNING_LINES = 1_000;
const TABLE_TRADES = 20;

const ORDER_FILE: TextFileKind = {
  what: 'order book file', maxBytes: MAX_ORDER_FILE_BYTES, error: (message, options) => new OrderBookError(message, options),
};

export interface MarketClearFlags {
  mechanism?: string;
  slot?: string;
  areas?: string;
  json?: boolean;
}

/** What the command prints: the report on stdout, warnings on stderr. */
export interface MarketClearOutput {
  stdout: string;
  stderr: string;
}

export function registerMarketCommands(program: Command): void {
  const market = program.command('market').description('local energy markets: clear order books');
  market
    .command('clear')
    .description('clear an order book (a JSON list of bids and offers for one area and slot) with a double auction')
    .argument('<orders>', 'order book file (.json)')
    .option('--mechanism <mechanism>', 'pay-as-clear (one uniform price) or pay-as-bid (each trade at its bid\'s price)', 'pay-as-clear')
    .option('--slot <n>', 'the open slot: orders for an earlier slot are rejected as closed, orders expiring before it as expired')
    .option('--areas <list>', 'comma-separated known areas: an order naming any other area is rejected')
    .option('--json', 'print the clearing result, trades and rejected orders as JSON')
    .action(async (file: string, flags: MarketClearFlags) => {
      const out = await marketClearCommand(file, flags);
      process.stderr.write(out.stderr);
      process.stdout.write(out.stdout);
    });
}

export async function marketClearCommand(file: string, flags: MarketClearFlags): Promise<MarketClearOutput> {
  const mechanism = mechanismFrom(flags.mechanism);
  const ctx = contextFrom(flags);
  const input = await readOrderFile(file);
  const { accepted, rejected } = validateIn(file, input, ctx);
  const result = clearOrders(accepted, mechanism);
  const stderr = warnings(rejected);
  if (flags.json === true) {
    const json = { mechanism, clearingPriceMinorPerKwh: result.clearingPriceMinorPerKwh, volumeWh: result.volumeWh, trades: result.trades, rejected };
    return { stdout: JSON.stringify(json, null, 2) + '\n', stderr };
  }
  return { stdout: summary(file, accepted, rejected, result), stderr };
}

function mechanismFrom(text: string | undefined): Mechanism {
  const value = text ?? 'pay-as-clear';
  if (!(MECHANISMS as readonly string[]).includes(value)) throw new UsageError(`--mechanism must be one of ${MECHANISMS.join(', ')}, got "${value}"`);
  return value as Mechanism;
}

function contextFrom(flags: MarketClearFlags): OrderCheckContext {
  const ctx: OrderCheckContext = {};
  if (flags.slot !== undefined) {
    if (!/^\d{1,15}$/.test(flags.slot.trim())) throw new UsageError(`--slot must be a non-negative integer (the open slot), got "${flags.slot}"`);
    ctx.openSlot = Number(flags.slot.trim());
  }
  if (flags.areas !== undefined) {
    const areas = flags.areas.split(',').map((a) => a.trim()).filter((a) => a !== '');
    if (areas.length === 0) throw new UsageError(`--areas must list at least one area id, e.g. --areas nb-01,nb-02 (got "${flags.areas}")`);
    ctx.knownAreas = new Set(areas);
  }
  return ctx;
}

/** The file's JSON value; a syntax error names the line and column. */
async function readOrderFile(path: string): Promise<unknown> {
  const text = await readBoundedTextFile(path, ORDER_FILE);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const { line, column } = lineColumnOf(text, jsonErrorOffset(text) ?? 0);
    throw new OrderBookError(`${path} is not valid JSON: syntax error at line ${line}, column ${column}`, {
      details: [`${path}:${line}:${column}: ${(error as Error).message}`],
      cause: error,
    });
  }
}

/** validateOrders, with the file named in a whole-book error. */
function validateIn(file: string, input: unknown, ctx: OrderCheckContext): ReturnType<typeof validateOrders> {
  try {
    return validateOrders(input, ctx);
  } catch (error) {
    if (!(error instanceof OrderBookError)) throw error;
    throw new OrderBookError(`${file}: ${error.message}`, { details: error.details, cause: error });
  }
}

function warnings(rejected: readonly RejectedOrder[]): string {
  const lines = rejected.slice(0, MAX_WARNING_LINES).map((r) =>
    `warning: rejected ${r.id === null ? `orders[${r.index}] (no usable id)` : `order ${JSON.stringify(r.id)}`}: ${r.reason}`);
  if (rejected.length > MAX_WARNING_LINES) lines.push(`warning: … and ${rejected.length - MAX_WARNING_LINES} more rejected orders (--json lists them all)`);
  return lines.map((l) => l + '\n').join('');
}

function summary(file: string, accepted: readonly Order[], rejected: readonly RejectedOrder[], r: ClearedOrders): string {
  const bids = accepted.filter((o) => o.side === 'bid').length;
  const price = r.mechanism === 'pay-as-bid'
    ? 'each trade at its bid\'s price'
    : r.clearingPriceMinorPerKwh === null ? 'none (nothing traded)' : `${r.clearingPriceMinorPerKwh} minor units/kWh (uniform)`;
  const lines = [
    `${file}: ${accepted.length + rejected.length} orders, ${accepted.length} accepted (${bids} bids, ${accepted.length - bids} offers), ${rejected.length} rejected`,
    `mechanism   ${r.mechanism}`,
    `price       ${price}`,
    `volume      ${kwh(r.volumeWh)} kWh`,
    `trades      ${r.trades.length}`,
  ];
  if (r.trades.length > 0) lines.push('', tradeTable(r.trades.slice(0, TABLE_TRADES)));
  if (r.trades.length > TABLE_TRADES) lines.push(`… and ${r.trades.length - TABLE_TRADES} more trades (--json lists them all)`);
  if (rejected.length > 0) lines.push('', `rejected    ${rejected.length} order${rejected.length === 1 ? '' : 's'} (reasons on stderr)`);
  return lines.join('\n') + '\n';
}

function kwh(wh: number): string {
  return (wh / 1000).toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
}

function tradeTable(trades: readonly Trade[]): string {
  const header = ['bid', 'offer', 'energy (kWh)', 'price (minor/kWh)'];
  const rows = trades.map((t) => [t.bidId, t.offerId, kwh(t.energyWh), String(t.priceMinorPerKwh)]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
