/**
 * Everything the trust layer needs before the first slot (ADR 0010): a key pair for every site's
 * meter and owner, a gatekeeper key per DSO (the root's for sites outside any DSO), the gatekeepers'
 * verifiable credentials for every meter and owner (issued and verified with jose, which is why this
 * is async and runs before the synchronous slot engine), and the validators of every settlement unit.
 *
 * SIMULATION ONLY: keys are derived from the seed and names (`deriveKeyPair`, `simValidatorKey`), so
 * a run is reproducible and `gridmesh ledger verify` can re-derive them; they are not secret.
 */
import { deriveKeyPair, type KeyPair } from '../identity/key-pair.js';
import { issueCredential, verifyCredential, type ConnectionCredential } from '../identity/connection-credential.js';
import { compareAddresses, simValidatorKey, type ValidatorKey } from '../ledger/validator-keys.js';
import { buildAreaTree } from '../grid/area-tree.js';
import type { Scenario, SiteSpec } from '../sim/scenario-schema.js';
import { settlementUnits, type SettlementUnit } from './settlement-units.js';
import { idOf } from '../ledger/statement.js';
import type { Hex } from 'viem';

/** Credentials run for this many days past the run (and from a day before it). */
const CREDENTIAL_MARGIN_S = 86_400;

export interface SiteIdentity {
  readonly siteId: string;
  readonly account: Hex;
  readonly meter: KeyPair;
  readonly owner: KeyPair;
  readonly meterCredential: ConnectionCredential;
  readonly ownerCredential: ConnectionCredential;
}

export interface UnitValidators {
  readonly unit: SettlementUnit;
  readonly microgrid: Hex;
  readonly marketAccount: Hex;
  /** Sorted by address ascending; the DSO's validator is one of them. */
  readonly validators: readonly ValidatorKey[];
}

export interface TrustSetup {
  readonly seed: number;
  readonly gatekeepers: ReadonlyMap<number, KeyPair>;
  /** Per site, in internal (depth-first) order. */
  readonly sites: readonly SiteIdentity[];
  readonly units: readonly UnitValidators[];
  readonly unitOfSite: Int32Array;
}

export async function prepareTrust(scenario: Scenario, seed: number, slots: number): Promise<TrustSetup> {
  const tree = buildAreaTree(scenario);
  const { units, unitOfSite } = settlementUnits(tree);
  const gatekeepers = new Map<number, KeyPair>();
  for (const u of units) if (!gatekeepers.has(u.dso)) gatekeepers.set(u.dso, deriveKeyPair(seed, `gatekeeper:${tree.ids[u.dso]}`));
  const startS = Math.floor(Date.parse(scenario.start) / 1000);
  const window = { issuedAtSeconds: startS - CREDENTIAL_MARGIN_S, notBeforeSeconds: startS - CREDENTIAL_MARGIN_S, expiresAtSeconds: startS + slots * scenario.slotMinutes * 60 + CREDENTIAL_MARGIN_S };
  const trusted = new Set([...gatekeepers.values()].map((k) => k.did));
  const slotsPerDay = Math.round((24 * 60) / scenario.slotMinutes);
  const sites: SiteIdentity[] = [];
  for (let i = 0; i < tree.siteOrder.length; i++) {
    const spec = scenario.sites[tree.siteOrder[i] as number] as SiteSpec;
    const gatekeeper = gatekeepers.get(units[unitOfSite[i] as number]?.dso ?? 0) as KeyPair;
    const meter = deriveKeyPair(seed, `meter:${spec.id}`);
    const owner = deriveKeyPair(seed, `owner:${spec.id}`);
    const kwhPerDay = scenario.trust.siteAuthorisedImportKwhPerDay[spec.id] ?? scenario.trust.authorisedImportKwhPerDay;
    const grant = {
      area: spec.area, owner: owner.did, authorisedPeriodSlots: slotsPerDay,
      authorisedImportWh: kwhPerDay === undefined ? null : Math.round(kwhPerDay * 1000),
    };
    const meterJwt = await issueCredential(gatekeeper.privateKey, {
      ...window, ...grant, credentialId: `urn:gridmesh:credential:meter:${spec.id}`, subject: meter.did, deviceType: 'meter', ratedPowerW: siteRatedPowerW(spec),
    });
    const ownerJwt = await issueCredential(gatekeeper.privateKey, {
      ...window, ...grant, authorisedImportWh: null, credentialId: `urn:gridmesh:credential:owner:${spec.id}`, subject: owner.did, deviceType: 'participant', ratedPowerW: siteRatedPowerW(spec),
    });
    const check = { trustedGatekeepers: trusted, nowSeconds: startS };
    sites.push({
      siteId: spec.id, account: idOf(`site:${spec.id}`), meter, owner,
      meterCredential: await verifyCredential(meterJwt, { ...check, expectedSubject: meter.did }),
      ownerCredential: await verifyCredential(ownerJwt, { ...check, expectedSubject: owner.did }),
    });
  }
  const unitValidators = units.map((unit): UnitValidators => {
    const name = tree.ids[unit.area] as string;
    const controllers = Array.from({ length: scenario.trust.validatorsPerMicrogrid }, (_, k) => simValidatorKey(seed, controllerId(name, k)));
    const dso = simValidatorKey(seed, `validator:dso:${tree.ids[unit.dso]}`);
    const validators = [...controllers, dso].sort((a, b) => compareAddresses(a.address, b.address));
    return { unit, microgrid: idOf(`area:${name}`), marketAccount: idOf(`market:${name}`), validators };
  });
  return { seed, gatekeepers, sites, units: unitValidators, unitOfSite };
}

/** The id of controller validator `k` (0-based) of a unit. */
export function controllerId(unitArea: string, k: number): string {
  return `validator:${unitArea}:${k}`;
}

/**
 * The most power a site's meter can plausibly see, W: its generation and discharge on the export
 * side or its loads and charging on the import side, whichever is larger. A load's peak is taken as
 * six times its average power (household profiles peak at four to five times their mean).
 */
export function siteRatedPowerW(site: SiteSpec): number {
  let importKw = 0;
  let exportKw = 0;
  for (const a of site.assets) {
    switch (a.kind) {
      case 'load': importKw += (a.annualKwh / 8760) * 6; break;
      case 'pv': exportKw += a.inverterKw ?? a.kwp; break;
      case 'wind': exportKw += a.ratedKw; break;
      case 'chp': exportKw += a.ratedKw; break;
      case 'battery': importKw += a.maxChargeKw; exportKw += a.maxDischargeKw; break;
      case 'ev': importKw += a.chargerKw; break;
      case 'heat-pump': importKw += a.ratedKw; break;
      case 'washing-machine': importKw += 2.5; break;
    }
  }
  return Math.max(1000, Math.ceil(Math.max(importKw, exportKw) * 1000));
}
