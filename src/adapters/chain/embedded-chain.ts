/**
 * The embedded chain: Hardhat's in-process network (EDR) with the three contracts deployed at start,
 * so gridmesh runs its trust layer with no node to install (ADR 0011).
 *
 * Deterministic: fixed genesis date, block n gets timestamp genesis + n × blockTimeSeconds, zero gas
 * price (no balances to manage; any sender works, by impersonation), automine (one block per
 * transaction). Replaying the same transactions therefore rebuilds the very same blocks, which is
 * how the optional journal makes this in-memory chain crash safe: every mined state-changing
 * transaction is appended, and `openEmbeddedChain({ journal })` replays them first.
 */
import { createRequire } from 'node:module';
import { getAddress, numberToHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ethCall, parseReceipt, SerialQueue, type ChainConnection, type Eip1193Like, type MinedTx, type TxRequest } from './chain-connection.js';
import { ChainError, ContractRevertError, failedTxHashOf, toChainError } from './chain-errors.js';
import type { ChainJournal, ChainSender, SettlementChain } from './chain-types.js';
import { attachSettlementChain, deploySettlementContracts } from './settlement-chain.js';

export const EMBEDDED_CHAIN_ID = 31337;
export const DEFAULT_INITIAL_DATE = '2026-01-01T00:00:00.000Z';
/** Large enough for one transaction to settle a statement with thousands of accounts. */
export const DEFAULT_BLOCK_GAS_LIMIT = 1_000_000_000;

export interface EmbeddedChainOptions {
  /** Genesis time (default 2026-01-01T00:00:00Z). */
  readonly initialDate?: Date | string;
  /** Seconds between consecutive blocks' timestamps (default 1). */
  readonly blockTimeSeconds?: number;
  /** Also the gas limit of every transaction (default 1e9). */
  readonly blockGasLimit?: number;
  readonly chainId?: number;
  /** Transactions to replay at start, and where to append new ones. */
  readonly journal?: ChainJournal;
  readonly deviceBatchSize?: number;
}

export interface EmbeddedChain extends SettlementChain {
  /** Hardhat's 20 unlocked dev accounts; accounts[0] deployed the contracts and is their admin. */
  readonly accounts: readonly Address[];
  /** The raw in-process provider (e.g. `evm_snapshot` / `evm_revert` in tests: they bypass the journal). */
  readonly provider: Eip1193Like;
  /** How many journal transactions were replayed at start. */
  readonly replayed: number;
  /** Low level: sends any transaction through the journal (typed revert errors). */
  send(tx: TxRequest, action?: string): Promise<MinedTx>;
  /** Low level: `eth_call` on the latest block (typed revert errors). */
  call(to: Address, data: Hex, action?: string): Promise<Hex>;
}

interface HardhatInternals {
  resolveConfig(configPath: string, userConfig: object): object;
  createProvider(config: object, networkName: string): Promise<Eip1193Like>;
}

function loadHardhat(): HardhatInternals & { anchor: string } {
  const require = createRequire(import.meta.url);
  try {
    const { resolveConfig } = require('hardhat/internal/core/config/config-resolution') as Pick<HardhatInternals, 'resolveConfig'>;
    const { createProvider } = require('hardhat/internal/core/providers/construction') as Pick<HardhatInternals, 'createProvider'>;
    // resolveConfig only needs an existing file to anchor (unused) project paths; no config is read.
    return { resolveConfig, createProvider, anchor: require.resolve('hardhat/package.json') };
  } catch (e) {
    throw new ChainError('cannot load Hardhat (the embedded chain needs the hardhat package, ^2.29)', { cause: e });
  }
}

async function createHardhatProvider(chainId: number, blockGasLimit: number, initialDate: string): Promise<Eip1193Like> {
  const hh = loadHardhat();
  const config = hh.resolveConfig(hh.anchor, {
    networks: {
      hardhat: {
        chainId,
        hardfork: 'cancun',
        blockGasLimit,
        gas: blockGasLimit,
        initialBaseFeePerGas: 0,
        initialDate,
        allowUnlimitedContractSize: false,
        loggingEnabled: false,
        mining: { auto: true, interval: 0 },
      },
    },
  });
  return hh.createProvider(config, 'hardhat');
}

class EmbeddedConnection implements ChainConnection {
  readonly chainId: bigint;
  readonly defaultSender: Address;
  private readonly queue = new SerialQueue();
  private readonly unlocked: Set<string>;
  private head = 0n;
  private closed = false;
  /** Off while replaying the journal. */
  journal: ChainJournal | undefined;

  constructor(
    readonly provider: Eip1193Like,
    chainId: number,
    readonly accounts: readonly Address[],
    private readonly genesisTime: bigint,
    private readonly blockTime: bigint,
    private readonly gasLimit: number,
  ) {
    this.chainId = BigInt(chainId);
    const first = accounts[0];
    if (first === undefined) throw new ChainError('the embedded chain has no accounts');
    this.defaultSender = first;
    this.unlocked = new Set(accounts.map((a) => a.toLowerCase()));
  }

  resolveSender(sender: ChainSender): Address {
    return 'address' in sender ? getAddress(sender.address) : privateKeyToAccount(sender.privateKey).address;
  }

  request(method: string, params: readonly unknown[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new ChainError('the embedded chain is closed'));
    return this.provider.request({ method, params });
  }

  call(to: Address, data: Hex, action: string): Promise<Hex> {
    return ethCall((m, p) => this.request(m, p), to, data, action);
  }

  send(tx: TxRequest, action: string): Promise<MinedTx> {
    return this.queue.run(() => this.sendNow(tx, action));
  }

  private async sendNow(tx: TxRequest, action: string): Promise<MinedTx> {
    const from = tx.from.toLowerCase();
    if (!this.unlocked.has(from)) {
      await this.request('hardhat_impersonateAccount', [tx.from]);
      this.unlocked.add(from);
    }
    let block = this.head + 1n;
    try {
      await this.request('evm_setNextBlockTimestamp', [numberToHex(this.genesisTime + block * this.blockTime)]);
    } catch {
      // Someone used the raw provider (a transaction, evm_revert): resynchronise with the real head.
      const latest = (await this.request('eth_getBlockByNumber', ['latest', false])) as { number: Hex; timestamp: Hex };
      block = BigInt(latest.number) + 1n;
      const time = this.genesisTime + block * this.blockTime;
      const after = BigInt(latest.timestamp) + 1n;
      await this.request('evm_setNextBlockTimestamp', [numberToHex(time > after ? time : after)]);
    }
    const params: Record<string, unknown> = {
      from: tx.from,
      data: tx.data,
      gas: numberToHex(this.gasLimit),
      maxFeePerGas: '0x0',
      maxPriorityFeePerGas: '0x0',
    };
    if (tx.to !== null) params.to = tx.to;
    let hash: Hex;
    try {
      hash = (await this.request('eth_sendTransaction', [params])) as Hex;
    } catch (e) {
      // Hardhat mines a reverting transaction and reports its hash: it is part of the chain.
      if (failedTxHashOf(e) !== undefined) {
        this.head = block;
        this.journal?.append({ from: tx.from, to: tx.to, data: tx.data, reverted: true });
      }
      throw toChainError(action, e);
    }
    const mined = parseReceipt(await this.request('eth_getTransactionReceipt', [hash]));
    this.head = mined.blockNumber;
    this.journal?.append({ from: tx.from, to: tx.to, data: tx.data });
    return mined;
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      this.closed = true;
    });
  }
}

/** Starts the in-process chain, replays the journal (if any), deploys what is missing, and returns the typed handle. */
export async function openEmbeddedChain(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const chainId = options.chainId ?? EMBEDDED_CHAIN_ID;
  const gasLimit = options.blockGasLimit ?? DEFAULT_BLOCK_GAS_LIMIT;
  const blockTime = options.blockTimeSeconds ?? 1;
  if (!Number.isInteger(blockTime) || blockTime < 1) throw new ChainError(`blockTimeSeconds must be a positive integer, got ${blockTime}`);
  const date = options.initialDate ?? DEFAULT_INITIAL_DATE;
  const initialDate = typeof date === 'string' ? date : date.toISOString();
  if (Number.isNaN(Date.parse(initialDate))) throw new ChainError(`initialDate is not a date: ${initialDate}`);

  let provider: Eip1193Like;
  try {
    provider = await createHardhatProvider(chainId, gasLimit, initialDate);
  } catch (e) {
    throw e instanceof ChainError ? e : new ChainError('cannot start the embedded chain', { cause: e });
  }
  const accounts = ((await provider.request({ method: 'eth_accounts' })) as string[]).map((a) => getAddress(a));
  const genesis = (await provider.request({ method: 'eth_getBlockByNumber', params: ['0x0', false] })) as { timestamp: Hex };
  const conn = new EmbeddedConnection(provider, chainId, accounts, BigInt(genesis.timestamp), BigInt(blockTime), gasLimit);

  const deployed: Address[] = [];
  const entries = options.journal?.load() ?? [];
  for (const [i, tx] of entries.entries()) {
    let mined: MinedTx | undefined;
    try {
      mined = await conn.send({ from: tx.from, to: tx.to, data: tx.data }, `journal replay #${i}`);
    } catch (e) {
      if (!(tx.reverted === true && e instanceof ContractRevertError)) {
        throw new ChainError(`the chain journal does not replay: transaction #${i} ${tx.reverted === true ? 'was reverted and now' : 'now'} fails`, { cause: e });
      }
    }
    if (mined !== undefined && tx.reverted === true) {
      throw new ChainError(`the chain journal does not replay: transaction #${i} was reverted and now succeeds`);
    }
    if (mined?.contractAddress !== null && mined?.contractAddress !== undefined) deployed.push(getAddress(mined.contractAddress));
  }
  conn.journal = options.journal;
  const addresses = await deploySettlementContracts(conn, deployed);
  const chain = attachSettlementChain(conn, addresses, options.deviceBatchSize === undefined ? {} : { deviceBatchSize: options.deviceBatchSize });
  return Object.assign(chain, {
    accounts,
    provider,
    replayed: entries.length,
    send: (tx: TxRequest, action = 'transaction') => conn.send(tx, action),
    call: (to: Address, data: Hex, action = 'call') => conn.call(to, data, action),
  });
}
