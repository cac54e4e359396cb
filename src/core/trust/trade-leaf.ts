/**
 * A site's clearing outcome in one slot, as the Merkle leaf of the trades root (ADR 0010). The
 * markets clear many matches per site; the leaf is their sum for the site, which is what settles.
 *
 * Layout (big-endian, 77 bytes):
 *   0      version (1)
 *   1..32  account id (keccak256 of `site:<id>`)
 *   33     slot (uint32)
 *   37     boughtWh (uint32)      41  soldWh (uint32)
 *   45     paidMinor (int64)      53  receivedMinor (int64)   (trades and grid fees, integer minor units)
 *   61     imbalance short price (int32, minor/kWh)   65  imbalance long price (int32)
 *   69     reserved (8 zero bytes)
 */
import { hexToBytes, bytesToHex, type Hex } from 'viem';
import { InvariantError } from '../assert.js';
import { TrustError } from '../errors.js';

export const TRADE_LEAF_VERSION = 1;
export const TRADE_LEAF_BYTES = 77;

export interface SiteTrade {
  readonly account: Hex;
  readonly slot: number;
  readonly boughtWh: number;
  readonly soldWh: number;
  readonly paidMinor: number;
  readonly receivedMinor: number;
  readonly shortMinorPerKwh: number;
  readonly longMinorPerKwh: number;
}

export function encodeTradeLeaf(t: SiteTrade): Uint8Array {
  for (const [k, v] of [['boughtWh', t.boughtWh], ['soldWh', t.soldWh], ['paidMinor', t.paidMinor], ['receivedMinor', t.receivedMinor]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new InvariantError(`trade leaf ${k} must be a non-negative integer`, { [k]: v });
  }
  const out = new Uint8Array(TRADE_LEAF_BYTES);
  const view = new DataView(out.buffer);
  out[0] = TRADE_LEAF_VERSION;
  out.set(hexToBytes(t.account), 1);
  view.setUint32(33, t.slot);
  view.setUint32(37, t.boughtWh);
  view.setUint32(41, t.soldWh);
  view.setBigInt64(45, BigInt(t.paidMinor));
  view.setBigInt64(53, BigInt(t.receivedMinor));
  view.setInt32(61, t.shortMinorPerKwh);
  view.setInt32(65, t.longMinorPerKwh);
  return out;
}

export function decodeTradeLeaf(bytes: Uint8Array): SiteTrade {
  if (bytes.length !== TRADE_LEAF_BYTES || bytes[0] !== TRADE_LEAF_VERSION) {
    throw new TrustError(`not a trade leaf: expected ${TRADE_LEAF_BYTES} bytes of version ${TRADE_LEAF_VERSION}, got ${bytes.length} bytes of version ${bytes[0] ?? 'none'}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    account: bytesToHex(bytes.subarray(1, 33)),
    slot: view.getUint32(33),
    boughtWh: view.getUint32(37),
    soldWh: view.getUint32(41),
    paidMinor: Number(view.getBigInt64(45)),
    receivedMinor: Number(view.getBigInt64(53)),
    shortMinorPerKwh: view.getInt32(61),
    longMinorPerKwh: view.getInt32(65),
  };
}
