/**
 * Validator identities. A validator is a secp256k1 Ethereum account: the Settlement contract checks
 * its signature with ecrecover against the microgrid's validator addresses.
 *
 * Simulation keys are derived, not generated: privateKey = keccak256("gridmesh-sim-validator|<seed>|<name>").
 * They are NOT secret (anyone who knows the scenario seed and the validator name can compute them);
 * they exist so a simulated run is reproducible. Real validators load their own keys.
 */
import { isHex, keccak256, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { LedgerError } from './ledger-errors.js';

/** Order of the secp256k1 group: a private key must lie in [1, n - 1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** What others know of a validator: its id (a stable name) and its address. */
export interface Validator {
  readonly id: string;
  readonly address: Address;
}

/** A validator that can sign: its private key is held in memory. */
export interface ValidatorKey extends Validator {
  readonly privateKey: Hex;
}

/** A validator key from a private key (32 bytes of hex). */
export function validatorKey(id: string, privateKey: Hex): ValidatorKey {
  if (!isHex(privateKey, { strict: true }) || privateKey.length !== 66) {
    throw new LedgerError(`validator ${id}: a private key must be 32 bytes of 0x-prefixed hex`);
  }
  const k = BigInt(privateKey);
  if (k === 0n || k >= SECP256K1_N) throw new LedgerError(`validator ${id}: the private key is outside the secp256k1 range`);
  return { id, privateKey, address: privateKeyToAddress(privateKey) };
}

/** The deterministic, public simulation key of validator `name` in a scenario with this seed. */
export function simValidatorKey(seed: string | number | bigint, name: string): ValidatorKey {
  return validatorKey(name, keccak256(stringToHex(`gridmesh-sim-validator|${seed}|${name}`)));
}

/** Addresses compare as unsigned 160-bit numbers, i.e. as lower-case hex of equal length. */
export function compareAddresses(a: Address, b: Address): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
