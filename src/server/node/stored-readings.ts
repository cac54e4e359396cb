/**
 * Real meters' readings of slots a restarted node replays: the signed records its ledger accepted
 * then, so that the twin, the reading gate (replay protection, authorised import) and the markets
 * reach the state they had before the restart. Slots after the replay are served by the live inbox.
 */
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { FIELDS_OFFSET, KEY_OFFSET } from '../../core/identity/signed-layout.js';
import type { ExternalReadings } from '../../core/trust/trust-run.js';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import type { LedgerStore } from '../../adapters/ledger/ledger-store.js';

export class StoredReadings {
  private slot = -1;
  private readonly bySite = new Map<number, Uint8Array>();
  private readonly siteOfMeter: ReadonlyMap<string, number>;

  constructor(private readonly store: LedgerStore, private readonly setup: TrustSetup, private readonly live: ExternalReadings, private readonly replayThrough: number) {
    this.siteOfMeter = new Map(setup.sites.map((s, i) => [s.meter.did, i]));
  }

  /** The source the trust run reads: stored records up to `replayThrough`, the live inbox after. */
  source(): ExternalReadings {
    return {
      serves: (site) => this.live.serves(site),
      take: (site, slot) => (slot <= this.replayThrough ? this.stored(site, slot) : this.live.take(site, slot)),
      // Replayed records are verified again (the ledger file could have been altered); live ones as the inbox says.
      signaturesVerified: (slot) => slot > this.replayThrough && this.live.signaturesVerified?.(slot) === true,
    };
  }

  private stored(site: number, slot: number): Uint8Array | undefined {
    if (slot !== this.slot) this.load(slot);
    return this.bySite.get(site);
  }

  private load(slot: number): void {
    this.slot = slot;
    this.bySite.clear();
    for (const u of this.setup.units) {
      for (const bytes of this.store.leaves('readings', u.microgrid, BigInt(slot))) {
        const site = this.siteOfMeter.get(didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET)));
        if (site !== undefined && this.live.serves(site)) this.bySite.set(site, bytes);
      }
    }
  }
}
