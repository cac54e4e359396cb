/**
 * Leaf checks: every reading and order leaf is a well-formed record signed by an admitted device of
 * its unit, trade leaves decode and name sites of the unit, indexes have no gaps; and no leaves are
 * stored for a microgrid that is no unit or a slot outside the run.
 */
import type { UnitSlotInputs } from '../../core/trust/unit-settlement.js';
import { decodeTradeLeaf, type SiteTrade } from '../../core/trust/trade-leaf.js';
import { decodeSignedReading } from '../../core/identity/signed-reading.js';
import { decodeSignedOrder } from '../../core/identity/signed-order.js';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { LEAF_KINDS, type LeafKind, type LeafRow, type LedgerFile, type LedgerMeta, type StatementRow } from './ledger-reader.js';
import type { DeviceInfo, LedgerIdentities, UnitInfo } from './ledger-identities.js';
import { describe, unitWhere, ZERO_ID, type Problems, type VerifyCounts } from './verify-problems.js';

export interface SlotLeaves {
  readonly readings: readonly LeafRow[];
  readonly orders: readonly LeafRow[];
  readonly trades: readonly LeafRow[];
}

export interface CheckedLeaves {
  readonly inputs: Pick<UnitSlotInputs, 'readings' | 'orders' | 'trades'>;
  readonly leaves: Record<LeafKind, Uint8Array[]>;
  /** Every leaf decoded (settlement can be re-executed). */
  readonly decodable: boolean;
}

export function checkLeaves(
  rows: SlotLeaves, valid: Record<'readings' | 'orders', Uint8Array>, row: StatementRow, unit: UnitInfo, ids: LedgerIdentities,
  where: string, problems: Problems, checked: VerifyCounts,
): CheckedLeaves {
  for (const kind of LEAF_KINDS) {
    const gap = rows[kind].findIndex((r, i) => r.idx !== i);
    if (gap >= 0) problems.add(where, `${kind}: leaf indexes are not 0..${rows[kind].length - 1} (position ${gap} holds idx ${rows[kind][gap]?.idx}): a leaf is missing`);
  }
  let decodable = true;
  const readings: UnitSlotInputs['readings'][number][] = [];
  const metered = new Set<string>();
  for (const [i, r] of rows.readings.entries()) {
    checked.readings++;
    const at = `${where} reading ${r.idx}`;
    let decoded;
    try {
      decoded = decodeSignedReading(r.bytes);
    } catch (e) {
      problems.add(at, `not a signed reading: ${describe(e)}`);
      decodable = false;
      continue;
    }
    const device = checkSigner(r, didOf(ids, decoded.deviceKey), ids.meters, ids.owners, 'meter', unit, ids, at, problems);
    if (device !== undefined) {
      if (valid.readings[i] !== 1) problems.add(at, `bad signature: the record does not verify with the key of the meter of site ${device.siteId}`);
      if (metered.has(device.did)) problems.add(at, `a second reading of the meter of site ${device.siteId} in this slot`);
      metered.add(device.did);
    }
    if (decoded.slot !== row.slot) problems.add(at, `a reading of slot ${decoded.slot}, stored in slot ${row.slot}`);
    readings.push({ leaf: r.bytes, device: r.device, account: device?.account ?? ZERO_ID, importWh: decoded.importWh, exportWh: decoded.exportWh });
  }
  const orders: UnitSlotInputs['orders'][number][] = [];
  for (const [i, r] of rows.orders.entries()) {
    checked.orders++;
    const at = `${where} order ${r.idx}`;
    let decoded;
    try {
      decoded = decodeSignedOrder(r.bytes);
    } catch (e) {
      problems.add(at, `not a signed order: ${describe(e)}`);
      decodable = false;
      continue;
    }
    const device = checkSigner(r, didOf(ids, decoded.participantKey), ids.owners, ids.meters, 'owner', unit, ids, at, problems);
    if (device !== undefined && valid.orders[i] !== 1) problems.add(at, `bad signature: the record does not verify with the key of the owner of site ${device.siteId}`);
    if (decoded.slot !== row.slot) problems.add(at, `an order for slot ${decoded.slot}, stored in slot ${row.slot}`);
    orders.push({ leaf: r.bytes, device: r.device, account: device?.account ?? ZERO_ID, side: decoded.side, energyWh: decoded.energyWh });
  }
  const traded = new Set<string>();
  for (const r of rows.trades) {
    checked.trades++;
    const at = `${where} trade ${r.idx}`;
    let t: SiteTrade;
    try {
      t = decodeTradeLeaf(r.bytes);
    } catch (e) {
      problems.add(at, describe(e)); // "not a trade leaf: expected 77 bytes …"
      decodable = false;
      continue;
    }
    const site = ids.siteAccounts.get(t.account.toLowerCase());
    if (site === undefined) problems.add(at, `account ${t.account} is not a site of the scenario`);
    else {
      if (site.unit !== unit.index) problems.add(at, `a trade of site ${site.siteId}, which unit ${ids.units[site.unit]?.areaId ?? '?'} settles`);
      if (traded.has(site.siteId)) problems.add(at, `a second trade leaf of site ${site.siteId} in this slot`);
      traded.add(site.siteId);
    }
    if (t.slot !== row.slot) problems.add(at, `a trade of slot ${t.slot}, stored in slot ${row.slot}`);
  }
  return {
    inputs: { readings, orders, trades: rows.trades.map((r) => r.bytes) },
    leaves: { readings: rows.readings.map((r) => r.bytes), orders: rows.orders.map((r) => r.bytes), trades: rows.trades.map((r) => r.bytes) },
    decodable,
  };
}

function didOf(ids: LedgerIdentities, key: Uint8Array): string {
  return ids.dids.get(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')) ?? didOfPublicKey(key);
}

/** The admitted device whose key signed a leaf, checked against the stored DID and the unit. */
function checkSigner(
  r: LeafRow, keyDid: string, devices: ReadonlyMap<string, DeviceInfo>, others: ReadonlyMap<string, DeviceInfo>,
  role: 'meter' | 'owner', unit: UnitInfo, ids: LedgerIdentities, at: string, problems: Problems,
): DeviceInfo | undefined {
  if (r.device !== keyDid) problems.add(at, `stored as signed by ${r.device} but the record carries the key of ${keyDid}`);
  const device = devices.get(keyDid);
  if (device === undefined) {
    const other = others.get(keyDid);
    problems.add(at, `signed with ${keyDid}, which is not an admitted ${role}${other === undefined ? '' : ` (it is the ${role === 'meter' ? 'owner' : 'meter'} of site ${other.siteId})`}`);
    return undefined;
  }
  if (device.unit !== unit.index) problems.add(at, `signed by the ${role} of site ${device.siteId}, which unit ${ids.units[device.unit]?.areaId ?? '?'} settles`);
  return device;
}

/** Leaves stored for a microgrid that is no unit or a slot outside the run. */
export function checkOrphanLeaves(file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, problems: Problems): void {
  for (const kind of LEAF_KINDS) {
    for (const k of file.leafSlots(kind)) {
      const unknownUnit = !ids.unitByMicrogrid.has(k.microgrid.toLowerCase());
      if (unknownUnit || k.slot < 0 || k.slot >= meta.slots) {
        problems.add(unitWhere(ids, k.microgrid, k.slot), `${k.n} ${kind} leaves stored for ${unknownUnit ? 'a microgrid that is not a settlement unit' : `a slot outside the run (slots 0..${meta.slots - 1})`}`);
      }
    }
  }
}
