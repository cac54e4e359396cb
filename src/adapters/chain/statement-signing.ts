/**
 * Signing statements as validators do (ADR 0010, 0011): raw secp256k1 over the signing digest, low s,
 * no EIP-191 prefix, serialised as 65 bytes (r, s, v with v = 27 or 28). The contract wants the
 * signatures ordered by ascending signer address.
 */
import type { Address, Hex } from 'viem';
import { privateKeyToAccount, serializeSignature, sign } from 'viem/accounts';
import { signingDigest, statementHash, type Statement } from '../../core/ledger/statement.js';
import { compareAddresses } from '../../core/ledger/validator-keys.js';

export { compareAddresses };

/** A copy in the order the contract wants validators and signers: ascending address. */
export function sortValidators<T extends Address | { readonly address: Address }>(validators: readonly T[]): T[] {
  const addressOf = (v: T): Address => (typeof v === 'string' ? v : v.address);
  return [...validators].sort((a, b) => compareAddresses(addressOf(a), addressOf(b)));
}

/** One validator's 65-byte signature over a signing digest. */
export async function signDigest(digest: Hex, privateKey: Hex): Promise<Hex> {
  return serializeSignature(await sign({ hash: digest, privateKey }));
}

/**
 * The signatures of `privateKeys` over the statement bound to (chainId, settlement), ordered by
 * ascending signer address, ready for `submitStatement`.
 */
export async function signStatement(statement: Statement, chainId: bigint, settlement: Address, privateKeys: readonly Hex[]): Promise<Hex[]> {
  const digest = signingDigest(chainId, settlement, statementHash(statement));
  const signers = sortValidators(privateKeys.map((key) => ({ key, address: privateKeyToAccount(key).address })));
  return Promise.all(signers.map((s) => signDigest(digest, s.key)));
}
