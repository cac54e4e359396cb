/**
 * Validator signatures over settlement statements: raw secp256k1 (low-s) over `signingDigest`
 * (statement.ts), no EIP-191 prefix, serialised as 65 bytes r ‖ s ‖ v with v = 27 or 28, the form
 * Solidity's ecrecover takes. Nonces are deterministic (RFC 6979): the same key and digest always
 * give the same signature.
 *
 * The async functions go through viem (`sign`, `recoverAddress`); the `…Sync` ones call the same
 * secp256k1 implementation (@noble/curves 1.x, which viem uses) directly, for the simulation's
 * slot loop. Both give identical bytes (tested).
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { isHex, recoverAddress, type Address, type Hex } from 'viem';
import { publicKeyToAddress, sign, serializeSignature } from 'viem/accounts';
import { SignatureError } from './ledger-errors.js';
import { signingDigest } from './statement.js';

/** The chain and Settlement contract a signature is bound to. */
export interface SettlementDomain {
  readonly chainId: bigint;
  readonly settlement: Address;
}

/** Length of a serialised signature in hex characters: 0x + 65 bytes. */
export const SIGNATURE_HEX_LENGTH = 2 + 65 * 2;

export function isSignatureHex(value: unknown): value is Hex {
  return typeof value === 'string' && value.length === SIGNATURE_HEX_LENGTH && isHex(value, { strict: true });
}

/** The 65-byte signature of `statementHash` for this chain and contract. */
export async function signStatement(privateKey: Hex, chainId: bigint, settlement: Address, statementHash: Hex): Promise<Hex> {
  const signature = await sign({ hash: signingDigest(chainId, settlement, statementHash), privateKey });
  return serializeSignature(signature);
}

/** `signStatement` without the promise. */
export function signStatementSync(privateKey: Hex, chainId: bigint, settlement: Address, statementHash: Hex): Hex {
  const digest = signingDigest(chainId, settlement, statementHash).slice(2);
  const { r, s, recovery } = secp256k1.sign(digest, privateKey.slice(2), { lowS: true });
  return `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${recovery === 1 ? '1c' : '1b'}`;
}

/** `recoverSigner` without the promise. */
export function recoverSignerSync(chainId: bigint, settlement: Address, statementHash: Hex, signature: Hex): Address {
  checkSignatureForm(signature);
  try {
    const recovery = Number.parseInt(signature.slice(130), 16) - 27;
    const point = secp256k1.Signature.fromCompact(signature.slice(2, 130)).addRecoveryBit(recovery)
      .recoverPublicKey(signingDigest(chainId, settlement, statementHash).slice(2));
    return publicKeyToAddress(`0x${point.toHex(false)}`);
  } catch (cause) {
    throw new SignatureError('the signature does not recover to an address', { cause });
  }
}

/** Half the secp256k1 group order: a larger s is the malleable twin of a valid signature. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * The address that produced `signature` over `statementHash` for this chain and contract. Accepts
 * only what a strict on-chain check accepts: v = 27 or 28 and a low s.
 */
export async function recoverSigner(chainId: bigint, settlement: Address, statementHash: Hex, signature: Hex): Promise<Address> {
  checkSignatureForm(signature);
  try {
    return await recoverAddress({ hash: signingDigest(chainId, settlement, statementHash), signature });
  } catch (cause) {
    throw new SignatureError('the signature does not recover to an address', { cause });
  }
}

function checkSignatureForm(signature: Hex): void {
  if (!isSignatureHex(signature)) throw new SignatureError('a signature must be 65 bytes of 0x-prefixed hex');
  const v = Number.parseInt(signature.slice(130), 16);
  if (v !== 27 && v !== 28) throw new SignatureError(`a signature must end in v = 27 or 28 (got ${v})`);
  if (BigInt(`0x${signature.slice(66, 130)}`) > HALF_N) throw new SignatureError('a signature must have a low s (EIP-2)');
}
