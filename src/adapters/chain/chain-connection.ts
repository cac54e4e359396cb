/**
 * What the typed settlement wrapper needs from a chain: JSON-RPC requests, read-only calls, and
 * sending a transaction until it is mined. Implemented by the embedded chain (embedded-chain.ts) and
 * by any JSON-RPC node (rpc-chain.ts).
 */
import type { Address, Hex } from 'viem';
import { ChainError, toChainError } from './chain-errors.js';
import type { ChainSender } from './chain-types.js';

/** An EIP-1193 provider (Hardhat's in-process network, or viem's transports). */
export interface Eip1193Like {
  request(args: { method: string; params?: readonly unknown[] }): Promise<unknown>;
}

export interface TxRequest {
  readonly from: Address;
  /** null: deploy `data`. */
  readonly to: Address | null;
  readonly data: Hex;
}

export interface LogEntry {
  readonly address: Address;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

export interface MinedTx {
  readonly txHash: Hex;
  readonly blockNumber: bigint;
  readonly gasUsed: bigint;
  readonly contractAddress: Address | null;
  readonly logs: readonly LogEntry[];
}

export interface ChainConnection {
  readonly chainId: bigint;
  /** The account transactions come from unless a handle says otherwise (deployer and admin). */
  readonly defaultSender: Address;
  /** The address of a sender; a private key is remembered so that `send` can sign with it. */
  resolveSender(sender: ChainSender): Address;
  request(method: string, params?: readonly unknown[]): Promise<unknown>;
  /** `eth_call` on the latest block; reverts throw a `ContractRevertError` naming `action`. */
  call(to: Address, data: Hex, action: string): Promise<Hex>;
  /** Sends and waits until mined; a revert throws a `ContractRevertError` naming `action`. */
  send(tx: TxRequest, action: string): Promise<MinedTx>;
  close(): Promise<void>;
}

interface RawReceipt {
  transactionHash: Hex;
  blockNumber: Hex;
  gasUsed: Hex;
  status?: Hex;
  contractAddress?: Address | null;
  logs: { address: Address; topics: Hex[]; data: Hex }[];
}

export function parseReceipt(raw: unknown): MinedTx & { readonly ok: boolean } {
  const r = raw as RawReceipt;
  return {
    txHash: r.transactionHash,
    blockNumber: BigInt(r.blockNumber),
    gasUsed: BigInt(r.gasUsed),
    contractAddress: r.contractAddress ?? null,
    logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data })),
    ok: r.status === undefined || BigInt(r.status) === 1n,
  };
}

/** Runs async tasks one after another (transactions must not interleave: nonces, block times). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export async function ethCall(request: ChainConnection['request'], to: Address, data: Hex, action: string): Promise<Hex> {
  try {
    return (await request('eth_call', [{ to, data }, 'latest'])) as Hex;
  } catch (e) {
    throw toChainError(action, e);
  }
}

/** Polls for a receipt (a node with automine has it at once; a real chain takes a block or more). */
export async function waitForReceipt(request: ChainConnection['request'], txHash: Hex, timeoutMs: number): Promise<MinedTx & { readonly ok: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const raw = await request('eth_getTransactionReceipt', [txHash]);
    if (raw !== null && raw !== undefined) return parseReceipt(raw);
    if (Date.now() > deadline) throw new ChainError(`transaction ${txHash} was not mined within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
