/**
 * The identities a ledger is checked against, re-derived from the run's scenario and seed (never
 * read from the ledger): every unit with its validators and quorum, every admitted meter and owner
 * key with its site and unit, and every account the run can move money on.
 */
import type { KeyObject } from 'node:crypto';
import type { Hex } from 'viem';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import { idOf } from '../../core/ledger/statement.js';
import { quorumThreshold } from '../../core/ledger/quorum.js';

export interface UnitInfo {
  readonly index: number;
  readonly areaId: string;
  readonly microgrid: Hex;
  readonly marketAccount: Hex;
  /** Validator address (lower case) → validator id. */
  readonly validators: ReadonlyMap<string, string>;
  readonly quorum: number;
}

export interface DeviceInfo {
  readonly did: string;
  readonly siteId: string;
  readonly account: Hex;
  readonly unit: number;
  readonly publicKey: KeyObject;
  /** idOf(meter DID): the device id of flexibility payouts. */
  readonly deviceId: Hex;
}

/** What a ledger is checked against: derived from the scenario and seed, never read from the ledger. */
export interface LedgerIdentities {
  readonly units: readonly UnitInfo[];
  readonly unitByMicrogrid: ReadonlyMap<string, UnitInfo>;
  readonly meters: ReadonlyMap<string, DeviceInfo>;
  readonly owners: ReadonlyMap<string, DeviceInfo>;
  /** Site account (lower case) → its site and unit. */
  readonly siteAccounts: ReadonlyMap<string, { siteId: string; unit: number; meter: DeviceInfo }>;
  /** Every account this run can move money on (sites, units' market accounts, flexibility buyers) → its name. */
  readonly accountNames: ReadonlyMap<string, string>;
  readonly flexBuyers: ReadonlySet<string>;
  /** Every admitted device's raw public key (hex) → its key object. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Every admitted device's raw public key (hex) → its DID (saves a base58 encoding per leaf). */
  readonly dids: ReadonlyMap<string, string>;
}

export function ledgerIdentities(setup: TrustSetup): LedgerIdentities {
  const units = setup.units.map((u, index): UnitInfo => ({
    index, areaId: u.unit.areaId, microgrid: u.microgrid.toLowerCase() as Hex, marketAccount: u.marketAccount.toLowerCase() as Hex,
    validators: new Map(u.validators.map((v) => [v.address.toLowerCase(), v.id])),
    quorum: quorumThreshold(u.validators.length),
  }));
  const meters = new Map<string, DeviceInfo>();
  const owners = new Map<string, DeviceInfo>();
  const siteAccounts = new Map<string, { siteId: string; unit: number; meter: DeviceInfo }>();
  const accountNames = new Map<string, string>();
  const keys = new Map<string, KeyObject>();
  const dids = new Map<string, string>();
  setup.sites.forEach((s, i) => {
    for (const k of [s.meter, s.owner]) {
      const hex = Buffer.from(k.publicKeyRaw).toString('hex');
      keys.set(hex, k.publicKey);
      dids.set(hex, k.did);
    }
    const unit = setup.unitOfSite[i] as number;
    const account = s.account.toLowerCase() as Hex;
    const meter: DeviceInfo = { did: s.meter.did, siteId: s.siteId, account, unit, publicKey: s.meter.publicKey, deviceId: idOf(s.meter.did) };
    meters.set(s.meter.did, meter);
    owners.set(s.owner.did, { did: s.owner.did, siteId: s.siteId, account, unit, publicKey: s.owner.publicKey, deviceId: idOf(s.owner.did) });
    siteAccounts.set(account, { siteId: s.siteId, unit, meter });
    accountNames.set(account, `site:${s.siteId}`);
  });
  for (const u of units) accountNames.set(u.marketAccount, `market:${u.areaId}`);
  const flexBuyers = new Set<string>();
  for (const b of ['tso', 'dso']) {
    const id = idOf(`flexibility:${b}`);
    flexBuyers.add(id);
    accountNames.set(id, `flexibility:${b}`);
  }
  return { units, unitByMicrogrid: new Map(units.map((u) => [u.microgrid, u])), meters, owners, siteAccounts, accountNames, flexBuyers, keys, dids };
}
