/**
 * Any EVM JSON-RPC node (`--chain-rpc URL`): `connectChain` attaches to deployed contracts when given
 * their addresses (checking they are there and wired together), otherwise deploys them. Transactions
 * are signed locally with `privateKey`, or sent from the node's first unlocked account (e.g. a
 * `hardhat node` or a dev geth). Gas and fees are left to the node's estimates.
 */
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { ethCall, SerialQueue, waitForReceipt, type ChainConnection, type MinedTx, type TxRequest } from './chain-connection.js';
import { ChainError, ContractRevertError, toChainError } from './chain-errors.js';
import type { ChainSender, ContractAddresses, SettlementChain } from './chain-types.js';
import { attachSettlementChain, deploySettlementContracts, verifySettlementContracts } from './settlement-chain.js';

export interface ConnectChainOptions {
  /** http(s) URL of the node's JSON-RPC endpoint. */
  readonly rpcUrl: string;
  /** 0x-prefixed 32-byte key to sign with; without it, the node's first unlocked account sends. */
  readonly privateKey?: Hex;
  /** Attach to these contracts instead of deploying new ones. */
  readonly addresses?: ContractAddresses;
  readonly deviceBatchSize?: number;
  /** How long to wait for a transaction to be mined (default 120 s). */
  readonly receiptTimeoutMs?: number;
  /** Per JSON-RPC request (default 30 s). */
  readonly requestTimeoutMs?: number;
}

export interface RpcChain extends SettlementChain {
  readonly rpcUrl: string;
  /** True when `connectChain` deployed the contracts (no `addresses` were given). */
  readonly deployed: boolean;
}

class RpcConnection implements ChainConnection {
  private readonly queue = new SerialQueue();
  private readonly keys = new Map<string, PrivateKeyAccount>();
  private wallet: WalletClient | undefined;

  constructor(
    private readonly client: PublicClient,
    private readonly rpcUrl: string,
    readonly chainId: bigint,
    readonly defaultSender: Address,
    private readonly receiptTimeoutMs: number,
    private readonly requestTimeoutMs: number,
    key: PrivateKeyAccount | undefined,
  ) {
    if (key !== undefined) this.keys.set(key.address.toLowerCase(), key);
  }

  resolveSender(sender: ChainSender): Address {
    if ('address' in sender) return getAddress(sender.address);
    const account = privateKeyToAccount(sender.privateKey);
    this.keys.set(account.address.toLowerCase(), account);
    return account.address;
  }

  request(method: string, params: readonly unknown[] = []): Promise<unknown> {
    return this.client.request({ method, params } as never);
  }

  call(to: Address, data: Hex, action: string): Promise<Hex> {
    return ethCall((m, p) => this.request(m, p), to, data, action);
  }

  send(tx: TxRequest, action: string): Promise<MinedTx> {
    return this.queue.run(() => this.sendNow(tx, action));
  }

  private walletClient(): WalletClient {
    this.wallet ??= createWalletClient({
      chain: defineChain({
        id: Number(this.chainId),
        name: 'gridmesh-rpc',
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
        rpcUrls: { default: { http: [this.rpcUrl] } },
      }),
      transport: http(this.rpcUrl, { retryCount: 0, timeout: this.requestTimeoutMs }),
    });
    return this.wallet;
  }

  private async sendNow(tx: TxRequest, action: string): Promise<MinedTx> {
    const key = this.keys.get(tx.from.toLowerCase());
    let hash: Hex;
    try {
      if (key !== undefined) {
        const wallet = this.walletClient();
        hash = await wallet.sendTransaction({ account: key, chain: wallet.chain, data: tx.data, ...(tx.to === null ? {} : { to: tx.to }) });
      } else {
        hash = (await this.request('eth_sendTransaction', [{ from: tx.from, data: tx.data, ...(tx.to === null ? {} : { to: tx.to }) }])) as Hex;
      }
    } catch (e) {
      throw toChainError(action, e);
    }
    const mined = await waitForReceipt((m, p) => this.request(m, p), hash, this.receiptTimeoutMs);
    if (!mined.ok) {
      // Mined but reverted (the state moved between the node's gas estimate and the block): ask for the reason.
      const at = `0x${(mined.blockNumber - 1n).toString(16)}`;
      try {
        await this.request('eth_call', [{ from: tx.from, data: tx.data, ...(tx.to === null ? {} : { to: tx.to }) }, at]);
      } catch (e) {
        const err = toChainError(action, e);
        if (err instanceof ContractRevertError) throw new ContractRevertError(action, err, { txHash: hash, cause: e });
      }
      throw new ChainError(`${action} reverted`, { details: [`transaction ${hash}`] });
    }
    return mined;
  }

  async close(): Promise<void> {
    await this.queue.run(async () => undefined);
  }
}

/** Connects to a JSON-RPC node and attaches to (or deploys) the settlement contracts. */
export async function connectChain(options: ConnectChainOptions): Promise<RpcChain> {
  const { rpcUrl } = options;
  if (!/^https?:\/\//i.test(rpcUrl)) throw new ChainError(`the chain RPC URL must start with http:// or https://, got ${rpcUrl}`);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: requestTimeoutMs }) });
  let chainId: bigint;
  try {
    chainId = BigInt((await client.request({ method: 'eth_chainId' })) as Hex);
  } catch (e) {
    throw new ChainError(`cannot reach the chain at ${rpcUrl}`, { cause: e, details: [e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)] });
  }
  let key: PrivateKeyAccount | undefined;
  if (options.privateKey !== undefined) {
    try {
      key = privateKeyToAccount(options.privateKey);
    } catch (e) {
      throw new ChainError('the chain private key is not a valid 32-byte hex key', { cause: e });
    }
  }
  let sender: Address;
  if (key !== undefined) {
    sender = key.address;
  } else {
    const accounts = (await client.request({ method: 'eth_accounts' } as never)) as string[];
    const first = accounts[0];
    if (first === undefined) throw new ChainError(`the node at ${rpcUrl} has no unlocked account: give a private key`);
    sender = getAddress(first);
  }
  const conn = new RpcConnection(client, rpcUrl, chainId, sender, options.receiptTimeoutMs ?? 120_000, requestTimeoutMs, key);
  let addresses: ContractAddresses;
  if (options.addresses !== undefined) {
    addresses = {
      registry: getAddress(options.addresses.registry),
      credits: getAddress(options.addresses.credits),
      settlement: getAddress(options.addresses.settlement),
    };
    await verifySettlementContracts(conn, addresses);
  } else {
    addresses = await deploySettlementContracts(conn);
  }
  const chain = attachSettlementChain(conn, addresses, options.deviceBatchSize === undefined ? {} : { deviceBatchSize: options.deviceBatchSize });
  return Object.assign(chain, { rpcUrl, deployed: options.addresses === undefined });
}
