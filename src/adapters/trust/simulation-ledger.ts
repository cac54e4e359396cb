/**
 * The trust layer's I/O in a simulated run (ADR 0010): the ledger store in the output folder
 * (`ledger.sqlite`: signed inputs, statements, dissent, the chain's journal and blocks), the chain
 * (the embedded EVM by default, or any JSON-RPC endpoint with `--chain-rpc`), and the durable queue
 * that submits each unit's statements in slot order while it can reach the chain.
 *
 * The slot engine hands each slot's records to `outbox` (synchronous: SQLite writes); the CLI awaits
 * `pump(slot)` between slots, which submits what online units have queued. A unit that is cut off
 * keeps queueing; when it is back, its backlog goes first, in slot order, and the slots and wall time
 * it took are recorded as its reconciliation.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { LedgerStore } from '../ledger/ledger-store.js';
import { StatementSubmitter } from '../ledger/statement-submitter.js';
import type { QueuedStatement } from '../ledger/statement-queue.js';
import { openEmbeddedChain, connectChain, type ContractAddresses, type SettlementChain } from '../chain/index.js';
import { idOf, payoutMinor } from '../../core/ledger/statement.js';
import type { TrustOutbox, TrustSlotRecord } from '../../core/trust/trust-run.js';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import type { ChainMetrics } from '../../core/trust/trust-metrics.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';

export const LEDGER_FILE = 'ledger.sqlite';
const DEVICE_KIND = { meter: 1, participant: 2 } as const;
const TOP_BALANCES = 10;

export interface SimulationLedgerOptions {
  readonly outDir: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly slots: number;
  readonly setup: TrustSetup;
  /** Any EVM JSON-RPC endpoint instead of the embedded chain. */
  readonly chainRpc?: string;
  /** Key the node sends from on `chainRpc` (default: the node's first unlocked account). */
  readonly chainKey?: Hex;
  /**
   * Attach to these contracts on `chainRpc` instead of deploying new ones: several nodes (a
   * microgrid's co-signing peers) settle on one chain. Registration then skips what another node
   * already registered.
   */
  readonly chainContracts?: ContractAddresses;
  /**
   * A node's data folder: open the ledger that is there and go on from its last recorded slot (the
   * embedded chain replays its journal; devices and validators are registered once). Without it an
   * old ledger in `outDir` is replaced, as a simulation run does.
   */
  readonly resume?: boolean;
}

/** Meta key of the last slot whose records are stored (written in the same transaction as them). */
export const LAST_SLOT_META = 'last_recorded_slot';
const REGISTERED_META = 'registered';

interface Reconnection { unit: string; microgrid: Hex; reconnectedSlot: number; statements: number; startedMs: number }

export class SimulationLedger {
  readonly outbox: TrustOutbox;
  private readonly submitter: StatementSubmitter;
  private readonly online = new Map<string, boolean>();
  private readonly pendingReconnections: Reconnection[] = [];
  private readonly reconciliations: ChainMetrics['reconciliations'][number][] = [];
  private backlogMax = 0;
  private transactions = 0;
  private gasUsed = 0n;
  private submitMs = 0;
  private submitErrors = 0;

  private constructor(readonly store: LedgerStore, readonly chain: SettlementChain, private readonly kind: 'embedded' | 'rpc') {
    this.submitter = new StatementSubmitter(store.queue);
    this.outbox = { slot: (r) => this.record(r) };
  }

  get domain(): { chainId: bigint; settlement: Hex } {
    return { chainId: this.chain.chainId, settlement: this.chain.addresses.settlement };
  }

  /** Creates `outDir/ledger.sqlite` (replacing an old one), opens the chain, registers devices and validators. */
  static async open(o: SimulationLedgerOptions): Promise<SimulationLedger> {
    const path = join(o.outDir, LEDGER_FILE);
    if (o.resume !== true) for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
    const store = LedgerStore.open(path);
    try {
      const chain = o.chainRpc === undefined
        ? await openEmbeddedChain({ journal: store.chainJournal(), initialDate: o.scenario.start })
        : await connectChain({ rpcUrl: o.chainRpc, ...(o.chainKey === undefined ? {} : { privateKey: o.chainKey }), ...(o.chainContracts === undefined ? {} : { addresses: o.chainContracts }) });
      const ledger = new SimulationLedger(store, chain, o.chainRpc === undefined ? 'embedded' : 'rpc');
      if (store.getMeta(REGISTERED_META) !== '1') {
        await ledger.register(o);
        store.setMeta(REGISTERED_META, '1');
        // A node's ledger grows slot by slot: `ledger verify` expects statements up to its last recorded slot.
        if (o.resume === true) store.setMeta('writer', 'node');
      }
      return ledger;
    } catch (e) {
      store.close();
      throw e;
    }
  }

  private async register(o: SimulationLedgerOptions): Promise<void> {
    const { chain, store } = this;
    store.setMeta('scenario', JSON.stringify(o.scenario));
    store.setMeta('seed', String(o.seed));
    store.setMeta('slots', String(o.slots));
    store.setMeta('chain', JSON.stringify({ kind: this.kind, chainId: String(chain.chainId), addresses: chain.addresses, ...(o.chainRpc === undefined ? {} : { rpcUrl: o.chainRpc }) }));
    // On contracts another node deployed, register only what is not there yet.
    const shared = o.chainContracts !== undefined;
    if (!shared || !(await chain.isGatekeeper(chain.sender))) await this.count(chain.grantGatekeeper(chain.sender));
    const devices = o.setup.sites.flatMap((s) => [
      { device: idOf(s.meter.did), area: idOf(`area:${s.meterCredential.area}`), credentialHash: idOf(s.meterCredential.jwt), ratedPowerW: s.meterCredential.ratedPowerW, kind: DEVICE_KIND.meter },
      { device: idOf(s.owner.did), area: idOf(`area:${s.ownerCredential.area}`), credentialHash: idOf(s.ownerCredential.jwt), ratedPowerW: s.ownerCredential.ratedPowerW, kind: DEVICE_KIND.participant },
    ]);
    const missing: typeof devices = [];
    for (const d of devices) if (!shared || (await chain.deviceOf(d.device)).status === 'none') missing.push(d);
    if (missing.length > 0) for (const r of await chain.registerDevices(missing)) this.note(r.gasUsed);
    for (const u of o.setup.units) {
      if (shared && (await chain.quorumOf(u.microgrid)) > 0) continue;
      await this.count(chain.registerMicrogrid(u.microgrid, u.validators.map((v) => v.address)));
    }
  }

  /** The last slot whose records are stored, -1 for a new ledger. */
  lastRecordedSlot(): number {
    const v = this.store.getMeta(LAST_SLOT_META);
    return v === undefined ? -1 : Number(v);
  }

  /** Slot records are written in one transaction with the last-slot mark: a crash keeps all or none. */
  private record(r: TrustSlotRecord): void {
    this.store.atomically(() => {
      this.recordSlot(r);
      this.store.setMeta(LAST_SLOT_META, String(r.slot));
    });
  }

  private recordSlot(r: TrustSlotRecord): void {
    const { store } = this;
    const slot = BigInt(r.slot);
    const items: { statement: NonNullable<TrustSlotRecord['units'][number]['statement']>; signatures: readonly Hex[] }[] = [];
    for (const u of r.units) {
      store.putSignedReadings(u.microgrid, slot, u.readings);
      store.putSignedOrders(u.microgrid, slot, u.orders);
      store.putTrades(u.microgrid, slot, u.trades);
      if (u.dissenters.length > 0) store.addDissent(u.microgrid, slot, u.dissenters.map((d) => ({ validator: d.validator, hash: d.hash, fields: d.fields })));
      if (u.statement !== null) items.push({ statement: u.statement, signatures: u.signatures });
      const key = u.microgrid.toLowerCase();
      const was = this.online.get(key);
      this.online.set(key, u.online);
      if (was === false && u.online) {
        const waiting = store.queue.pending().filter((q) => q.microgrid.toLowerCase() === key).length;
        this.pendingReconnections.push({ unit: u.areaId, microgrid: u.microgrid, reconnectedSlot: r.slot, statements: waiting, startedMs: performance.now() });
      }
    }
    if (r.rejections.length > 0) store.addRejections(slot, r.rejections);
    store.queue.enqueueMany(items, slot);
    this.backlogMax = Math.max(this.backlogMax, store.queue.openCount());
  }

  /** Submits what the online units have queued (backlogs first, in slot order). */
  async pump(currentSlot: number): Promise<void> {
    const started = performance.now();
    const report = await this.submitter.submitPending(this.sink(), {
      currentSlot: BigInt(currentSlot),
      connected: (m) => this.online.get(m.toLowerCase()) ?? true,
    });
    this.submitMs += performance.now() - started;
    // A submission that threw stays in the queue (retried next slot) or, after its attempts, is
    // marked failed; the run goes on, the count is in the results and `ledger verify` names them.
    this.submitErrors += report.errors;
    for (let k = this.pendingReconnections.length - 1; k >= 0; k--) {
      const p = this.pendingReconnections[k] as Reconnection;
      const open = this.store.queue.pending().some((q) => q.microgrid.toLowerCase() === p.microgrid.toLowerCase() && Number(q.slot) < p.reconnectedSlot);
      if (open) continue;
      this.reconciliations.push({ unit: p.unit, statements: p.statements, reconnectedSlot: p.reconnectedSlot, committedSlot: currentSlot, wallMs: Math.round(performance.now() - p.startedMs) });
      this.pendingReconnections.splice(k, 1);
    }
  }

  /** After the last slot: the chain's figures; stores the chain's blocks in the ledger. */
  async finish(): Promise<ChainMetrics> {
    const { store, chain } = this;
    const blocks = await chain.blocks();
    for (const b of blocks) store.appendBlock({ number: b.number, hash: b.hash, txHashes: b.transactions });
    const counts = store.queue.counts();
    const committed = store.queue.list('committed');
    const balances = await this.balances(committed);
    return {
      kind: this.kind, chainId: Number(chain.chainId), settlement: chain.addresses.settlement,
      transactions: this.transactions, gasUsed: Number(this.gasUsed),
      committed: counts.committed, duplicates: counts.duplicate, conflicts: counts.conflict, queued: counts.queued + counts.submitting + counts.failed,
      backlogMax: this.backlogMax,
      reconciliationSlotsMax: this.reconciliations.reduce((m, r) => Math.max(m, r.committedSlot - r.reconnectedSlot), 0),
      reconciliations: this.reconciliations,
      balances,
      flexibilityPayoutsMinor: payoutsMinor(committed),
      submitMs: Math.round(this.submitMs),
      submitErrors: this.submitErrors,
    };
  }

  /**
   * Stores the chain's blocks mined since the last stored one (a node calls it after each slot's
   * submissions, so its ledger can be verified while it runs; the embedded chain's replay reproduces
   * the same blocks after a restart, so none is missed).
   */
  async storeNewBlocks(): Promise<number> {
    const last = this.store.lastBlockNumber();
    const from = last === null ? undefined : last + 1n;
    const blocks = await this.chain.blocks(from);
    let added = 0;
    this.store.atomically(() => {
      for (const b of blocks) {
        if (from !== undefined && b.number < from) continue;
        this.store.appendBlock({ number: b.number, hash: b.hash, txHashes: b.transactions });
        added++;
      }
    });
    return added;
  }

  async close(): Promise<void> {
    await this.chain.close();
    this.store.close();
  }

  private async balances(committed: readonly QueuedStatement[]): Promise<ChainMetrics['balances']> {
    const accounts = new Set<Hex>();
    for (const q of committed) for (const a of q.statement.accounts) accounts.add(a);
    const rows: { account: string; balanceMinor: number }[] = [];
    for (const a of accounts) rows.push({ account: this.accountName(a), balanceMinor: Number(await this.chain.balanceOf(a)) });
    rows.sort((x, y) => Math.abs(y.balanceMinor) - Math.abs(x.balanceMinor) || x.account.localeCompare(y.account));
    return { accounts: accounts.size, top: rows.slice(0, TOP_BALANCES) };
  }

  private accountName(a: Hex): string {
    return this.accountNames.get(a.toLowerCase()) ?? a;
  }

  private readonly accountNames = new Map<string, string>();

  /** Names accounts in the results (site and market accounts are hashes on chain). */
  nameAccounts(setup: TrustSetup): void {
    for (const s of setup.sites) this.accountNames.set(s.account.toLowerCase(), `site:${s.siteId}`);
    for (const u of setup.units) this.accountNames.set(u.marketAccount.toLowerCase(), `market:${u.unit.areaId}`);
  }

  private sink(): Parameters<StatementSubmitter['submitPending']>[0] {
    return {
      submitStatement: async (s, sigs) => {
        const r = await this.chain.submitStatement(s, sigs);
        this.note(r.gasUsed);
        return r;
      },
      statementHashOf: (m, slot) => this.chain.statementHashOf(m, slot),
    };
  }

  private async count(p: Promise<{ gasUsed: bigint }>): Promise<void> {
    this.note((await p).gasUsed);
  }

  private note(gas: bigint): void {
    this.transactions++;
    this.gasUsed += gas;
  }
}

function payoutsMinor(committed: readonly QueuedStatement[]): number {
  let total = 0n;
  for (const q of committed) for (const p of q.statement.payouts) total += payoutMinor(p);
  return Number(total);
}
