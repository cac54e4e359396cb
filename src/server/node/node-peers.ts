/**
 * Co-signing among a microgrid's nodes (ARCHITECTURE "Consensus of the transacting parties", the
 * peer-to-peer islands of issue 7). With `peers` in its config a node is one validator: it signs the
 * statements it computes with its own key only, exchanges signatures with the other nodes over the
 * peer network (src/adapters/peer/, docs/peer-network.md), and queues a statement for the chain once
 * ⌈2n/3⌉ validators signed the same hash. Cut off from the DSO node, a microgrid's controller nodes
 * still reach 3 of 4 and go on settling; when the link heals, the co-signer reconciles the rounds and
 * the DSO node queues the statements it missed (the chain ignores one it already holds).
 *
 * The node records the signed inputs of its own units only; the other units of its twin are
 * computed (the twin needs them) but not stored.
 *
 * SIMULATION KEYS: the validator key is `simValidatorKey(seed, validator)` and the node's peer key is
 * `deriveKeyPair(seed, 'node:<validator>')`, both derived from the scenario's seed like every
 * identity of the trust layer (ADR 0010); a deployment would load them from a key store.
 */
import type { Hex } from 'viem';
import { deriveKeyPair, type KeyPair } from '../../core/identity/key-pair.js';
import type { Statement } from '../../core/ledger/statement.js';
import { simValidatorKey, type ValidatorKey } from '../../core/ledger/validator-keys.js';
import type { TrustSlotRecord, UnitSlotRecord } from '../../core/trust/trust-run.js';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import { UsageError } from '../../core/errors.js';
import { PeerNetwork } from '../../adapters/peer/index.js';
import { StatementCoSigner } from '../../adapters/peer/statement-co-signer.js';
import type { FinalRound } from '../../adapters/peer/cosign-types.js';
import type { LedgerStore } from '../../adapters/ledger/ledger-store.js';
import type { NodeConfig } from './node-config.js';
import type { AlertView } from './node-view.js';

/** Statements kept per unit for peers that ask for a slot after this node computed it. */
export const RECENT_STATEMENTS_MAX = 192;

/** The peer key of the node that signs as `validator` (simulation: derived from the seed). */
export function nodePeerKey(seed: number, validator: string): KeyPair {
  return deriveKeyPair(seed, `node:${validator}`);
}

interface UnitCoSigning {
  readonly microgrid: Hex;
  readonly areaId: string;
  readonly coSigner: StatementCoSigner;
  readonly recent: Map<bigint, Statement>;
}

export class NodePeers {
  private readonly alerts: AlertView[] = [];

  private constructor(readonly network: PeerNetwork, readonly validator: ValidatorKey, private readonly units: ReadonlyMap<string, UnitCoSigning>, private readonly store: LedgerStore) {}

  static async start(config: NonNullable<NodeConfig['peers']>, seed: number, setup: TrustSetup, domain: { chainId: bigint; settlement: Hex }, store: LedgerStore): Promise<NodePeers> {
    const validator = simValidatorKey(seed, config.validator);
    const mine = setup.units.filter((u) => u.validators.some((v) => v.address.toLowerCase() === validator.address.toLowerCase()));
    if (mine.length === 0) {
      const examples = setup.units.slice(0, 2).flatMap((u) => [`validator:${u.unit.areaId}:0`]).join(', ');
      throw new UsageError(`peers.validator: ${JSON.stringify(config.validator)} is no validator of any microgrid of this scenario (e.g. ${examples}, or validator:dso:<dso area>)`);
    }
    const network = await PeerNetwork.start({
      key: nodePeerKey(seed, config.validator), listen: { host: config.listen.host, port: config.listen.port },
      peers: config.nodes.map((n) => ({ did: n.did, url: n.url })), acceptUnknownPeers: false,
    });
    const units = new Map<string, UnitCoSigning>();
    for (const u of mine) {
      const recent = new Map<bigint, Statement>();
      const coSigner = new StatementCoSigner({
        network, key: validator, microgrid: u.microgrid, validators: u.validators, domain,
        statementFor: (slot) => recent.get(slot),
      });
      units.set(u.microgrid.toLowerCase(), { microgrid: u.microgrid, areaId: u.unit.areaId, coSigner, recent });
    }
    const peers = new NodePeers(network, validator, units, store);
    for (const u of units.values()) {
      u.coSigner.onFinal((f) => peers.final(f));
      u.coSigner.onDissent((d) => peers.alert({ slot: Number(d.slot), kind: 'dissent', area: u.areaId, message: `validator ${d.validator} signed ${d.kind === 'equivocation' ? 'two hashes' : 'another hash'} for slot ${d.slot}` }));
      u.coSigner.onNoQuorum((n) => peers.alert({ slot: Number(n.slot), kind: 'dissent', area: u.areaId, message: `slot ${n.slot}: no quorum among the peers (${n.reason}); the statement waits for reconciliation` }));
    }
    return peers;
  }

  /**
   * The slot's trust record as this node keeps it: only its own units, each statement without the
   * twin's local signatures (it is queued when the peers' quorum is reached, see `final`); the
   * statement is cast to the peers when `cast` is true (not while replaying what was recorded).
   */
  ownRecord(record: TrustSlotRecord, cast: boolean): TrustSlotRecord {
    const units: UnitSlotRecord[] = [];
    for (const u of record.units) {
      const mine = this.units.get(u.microgrid.toLowerCase());
      if (mine === undefined) continue;
      if (u.statement !== null) {
        mine.recent.set(u.statement.slot, u.statement);
        if (mine.recent.size > RECENT_STATEMENTS_MAX) mine.recent.delete(mine.recent.keys().next().value as bigint);
        if (cast && this.store.queue.get(u.microgrid, u.statement.slot) === undefined) mine.coSigner.cast(u.statement);
      }
      units.push({ ...u, statement: null, hash: null, signatures: [], dissenters: [] });
    }
    return { ...record, units };
  }

  /** After a restart: casts again the recent statements that never reached the quorum. */
  recastOpen(): number {
    let n = 0;
    for (const u of this.units.values()) {
      for (const [slot, statement] of u.recent) {
        if (this.store.queue.get(u.microgrid, slot) !== undefined) continue;
        u.coSigner.cast(statement);
        n++;
      }
    }
    return n;
  }

  /** Alerts raised since the last call. */
  takeAlerts(): AlertView[] {
    return this.alerts.splice(0, this.alerts.length);
  }

  counts(): { peersConnected: number; finals: number; noQuorum: number; dissents: number } {
    let finals = 0;
    let noQuorum = 0;
    let dissents = 0;
    for (const u of this.units.values()) {
      const c = u.coSigner.counts();
      finals += c.finals;
      noQuorum += c.noQuorum;
      dissents += c.dissents;
    }
    return { peersConnected: this.network.connectedPeers().length, finals, noQuorum, dissents };
  }

  async close(): Promise<void> {
    for (const u of this.units.values()) u.coSigner.close();
    await this.network.close();
  }

  private final(f: FinalRound): void {
    if (f.revision !== 1 || this.store.queue.get(f.microgrid, f.slot) !== undefined) return;
    this.store.queue.enqueueMany([{ statement: f.statement, signatures: f.signatures }], f.slot);
  }

  private alert(a: AlertView): void {
    this.alerts.push(a);
    if (this.alerts.length > 100) this.alerts.splice(0, this.alerts.length - 100);
  }
}
