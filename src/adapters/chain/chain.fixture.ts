/** Test helpers for the chain adapter's tests (not built into dist). */
import { expect } from 'vitest';
import { keccak256, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { idOf, type Statement } from '../../core/ledger/statement.js';
import { ContractRevertError } from './chain-errors.js';
import type { ContractName } from './contract-artifacts.js';
import { deployData, functionCodec } from './contract-codec.js';
import type { EmbeddedChain } from './embedded-chain.js';
import { sortValidators } from './statement-signing.js';

export interface Validator {
  readonly key: Hex;
  readonly address: Address;
}

/** `n` deterministic validator keys, sorted by address as the contract wants them. */
export function validators(n: number, seed: string): Validator[] {
  return sortValidators(Array.from({ length: n }, (_, i) => {
    const key = keccak256(stringToHex(`gridmesh test validator ${seed} ${i}`));
    return { key, address: privateKeyToAccount(key).address };
  }));
}

/** A balanced statement over `names` (sorted by id) with the given deltas in name order. */
export function statementOf(microgrid: Hex, slot: bigint, deltas: Record<string, bigint>, payouts: Statement['payouts'] = []): Statement {
  const entries = Object.entries(deltas).map(([name, d]) => ({ id: idOf(name), d })).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return {
    microgrid,
    slot,
    readingsRoot: idOf(`readings ${slot}`),
    ordersRoot: idOf(`orders ${slot}`),
    tradesRoot: idOf(`trades ${slot}`),
    accounts: entries.map((e) => e.id),
    deltasMinor: entries.map((e) => e.d),
    payouts,
  };
}

/** Calls any function of one of the contracts through the embedded chain (journaled, typed errors). */
export async function sendFn(chain: EmbeddedChain, from: Address, contract: ContractName, to: Address, fn: string, args: readonly unknown[]) {
  const codec = functionCodec(contract, fn);
  return chain.send({ from, to, data: codec.encode(args) }, codec.name);
}

export async function readFn(chain: EmbeddedChain, contract: ContractName, to: Address, fn: string, args: readonly unknown[] = []): Promise<readonly unknown[]> {
  const codec = functionCodec(contract, fn);
  return codec.decode(await chain.call(to, codec.encode(args), codec.name));
}

export async function deployRaw(chain: EmbeddedChain, from: Address, contract: ContractName, args: readonly unknown[]): Promise<Address> {
  const mined = await chain.send({ from, to: null, data: deployData(contract, args) }, `deploy ${contract}`);
  if (mined.contractAddress === null) throw new Error('no contract address');
  return mined.contractAddress;
}

/** Expects the promise to reject with the contract error `signature`, e.g. `BelowQuorum(1, 3)` (or just its name). */
export async function expectRevert(promise: Promise<unknown>, signature: string): Promise<ContractRevertError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a revert with ${signature}`).toBeInstanceOf(ContractRevertError);
  const e = error as ContractRevertError;
  if (signature.includes('(')) expect(e.signature).toBe(signature);
  else expect(e.errorName).toBe(signature);
  expect(e.message).toContain(e.signature);
  return e;
}
