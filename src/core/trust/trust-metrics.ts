/** The trust layer's figures in results.json (`metrics.trust`); the chain adds its own (adapters). */
import type { GateCounts } from '../identity/gate-rejections.js';

export interface TrustMetrics {
  /** Admitted identities: every site's meter and owner. */
  readonly devices: number;
  readonly gatekeepers: number;
  /** Settlement units (microgrids, DSOs, the root) with their sites and validators. */
  readonly units: readonly { readonly area: string; readonly sites: number; readonly validators: number }[];
  /** Signed meter readings and orders: accepted, and rejected by reason. */
  readonly readings: GateCounts;
  readonly orders: GateCounts;
  /** The last rejected readings (up to trust.maxRejectionsListed). */
  readonly rejectedReadings: readonly { readonly slot: number | null; readonly device: string | null; readonly reason: string }[];
  /** Site-slots in which the controller withheld devices to keep a meter within its authorised import. */
  readonly cappedSiteSlots: number;
  /** Runtime only: readings real devices did not send for a slot (nothing settled for them). */
  readonly missingReadings?: number;
  readonly statements: {
    /** Statements with a quorum of validator signatures. */
    readonly final: number;
    readonly noQuorum: number;
    /** Final statements produced while their unit had no path to the chain (queued). */
    readonly producedOffline: number;
  };
  /** Validators that computed another statement than the quorum. */
  readonly dissent: { readonly count: number; readonly listed: readonly { readonly slot: number; readonly unit: string; readonly validator: string; readonly fields: readonly string[] }[] };
}

/** What the chain and the durable queue did with the statements (filled in by the CLI's adapters). */
export interface ChainMetrics {
  readonly kind: 'embedded' | 'rpc';
  readonly chainId: number;
  readonly settlement: string;
  readonly transactions: number;
  readonly gasUsed: number;
  readonly committed: number;
  readonly duplicates: number;
  readonly conflicts: number;
  /** Statements still waiting in the queue at the end of the run (their unit still offline). */
  readonly queued: number;
  /** Most statements waiting at once, and the slots from a unit's reconnection until its backlog was committed. */
  readonly backlogMax: number;
  readonly reconciliationSlotsMax: number;
  readonly reconciliations: readonly { readonly unit: string; readonly statements: number; readonly reconnectedSlot: number; readonly committedSlot: number; readonly wallMs: number }[];
  /** Balances of the accounts on chain (minor units): the largest receivers and payers. */
  readonly balances: { readonly accounts: number; readonly top: readonly { readonly account: string; readonly balanceMinor: number }[] };
  readonly flexibilityPayoutsMinor: number;
  /** Wall time spent submitting to the chain, ms (not part of the simulated time). */
  readonly submitMs: number;
  /** Submissions that threw (the statement stayed queued and was retried, or was marked failed). */
  readonly submitErrors: number;
}
