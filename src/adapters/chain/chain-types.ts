/**
 * The typed face of gridmesh's trust layer on an EVM chain (ADR 0011): the same interface whether the
 * chain is the embedded in-process one (`openEmbeddedChain`) or any JSON-RPC node (`connectChain`).
 */
import type { Address, Hex } from 'viem';
import type { Statement } from '../../core/ledger/statement.js';

export interface ContractAddresses {
  readonly registry: Address;
  readonly credits: Address;
  readonly settlement: Address;
}

/** A device as a gatekeeper registers it. Ids are `idOf(name)` (keccak256 of the UTF-8 name). */
export interface DeviceRecord {
  readonly device: Hex;
  readonly area: Hex;
  readonly credentialHash: Hex;
  /** uint32. */
  readonly ratedPowerW: number;
  /** uint8, gridmesh's device kind code. */
  readonly kind: number;
}

export type DeviceStatus = 'none' | 'active' | 'revoked';

export interface DeviceInfo extends DeviceRecord {
  readonly gatekeeper: Address;
  readonly status: DeviceStatus;
}

export interface TxResult {
  readonly txHash: Hex;
  readonly blockNumber: bigint;
  readonly gasUsed: bigint;
}

export type SubmitOutcome = 'committed' | 'duplicate' | 'conflict';

export interface SubmitResult extends TxResult {
  readonly outcome: SubmitOutcome;
  /** The offered statement's hash. */
  readonly statementHash: Hex;
  /** For a conflict: the hash already committed for (microgrid, slot). */
  readonly committedHash?: Hex;
}

export interface ChainBlock {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  /** Unix seconds. */
  readonly timestamp: bigint;
  readonly transactions: readonly Hex[];
}

/** Who sends transactions: an account the node unlocks (or, embedded, impersonates), or a local key. */
export type ChainSender = { readonly address: Address } | { readonly privateKey: Hex };

export interface SettlementChain {
  readonly chainId: bigint;
  readonly addresses: ContractAddresses;
  /** The account this handle sends from (the deployer/admin unless `withSender` was used). */
  readonly sender: Address;
  /** The same chain and contracts, sending from another account (e.g. a DSO gatekeeper). */
  withSender(sender: ChainSender): SettlementChain;

  grantGatekeeper(gatekeeper: Address): Promise<TxResult>;
  revokeGatekeeper(gatekeeper: Address): Promise<TxResult>;
  /** Sent by a gatekeeper, in batches of at most `deviceBatchSize` devices per transaction. */
  registerDevices(devices: readonly DeviceRecord[]): Promise<TxResult[]>;
  revokeDevice(device: Hex): Promise<TxResult>;
  registerMicrogrid(microgrid: Hex, validators: readonly Address[]): Promise<TxResult>;
  /** `signatures`: 65-byte (r, s, v) over `signingDigest`, ordered by ascending signer address. */
  submitStatement(statement: Statement, signatures: readonly Hex[]): Promise<SubmitResult>;

  statementHashOf(microgrid: Hex, slot: bigint): Promise<Hex | null>;
  balanceOf(account: Hex): Promise<bigint>;
  totalPositive(): Promise<bigint>;
  isActive(device: Hex): Promise<boolean>;
  isGatekeeper(account: Address): Promise<boolean>;
  deviceOf(device: Hex): Promise<DeviceInfo>;
  validatorsOf(microgrid: Hex): Promise<Address[]>;
  quorumOf(microgrid: Hex): Promise<number>;
  committedCount(): Promise<bigint>;
  blockNumber(): Promise<bigint>;
  /** Blocks `fromBlock..toBlock` (default: genesis..latest): number, hash, parent, time, tx hashes. */
  blocks(fromBlock?: bigint, toBlock?: bigint): Promise<ChainBlock[]>;
  /** Waits for pending transactions, then closes the connection (shared with `withSender` handles). */
  close(): Promise<void>;
}

/** One mined state-changing transaction of the embedded chain, as the journal keeps it. */
export interface JournalTx {
  readonly from: Address;
  /** null: a contract deployment. */
  readonly to: Address | null;
  readonly data: Hex;
  /** It was mined but reverted (kept so that a replay rebuilds the very same blocks). */
  readonly reverted?: boolean;
}

/** Durable storage of the embedded chain's transactions (the lead backs it with SQLite). */
export interface ChainJournal {
  append(tx: JournalTx): void;
  load(): JournalTx[];
}
