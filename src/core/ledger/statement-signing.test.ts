import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { SignatureError } from './ledger-errors.js';
import { aStatement } from './statement.fixture.js';
import { recoverSigner, recoverSignerSync, signStatement, signStatementSync } from './statement-signing.js';
import { statementHash } from './statement.js';
import { simValidatorKey } from './validator-keys.js';

const chainId = 31337n;
const settlement = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const other = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const;
const key = simValidatorKey(1, 'v1');
const hash = statementHash(aStatement());

describe('statement signatures', () => {
  it('recovers the signer of a statement hash', async () => {
    const signature = await signStatement(key.privateKey, chainId, settlement, hash);
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    expect(await recoverSigner(chainId, settlement, hash, signature)).toBe(key.address);
  });

  it('signs deterministically with v = 27 or 28 (RFC 6979 nonces)', async () => {
    const a = await signStatement(key.privateKey, chainId, settlement, hash);
    expect(await signStatement(key.privateKey, chainId, settlement, hash)).toBe(a);
    expect(['1b', '1c']).toContain(a.slice(130));
  });

  it('binds the signature to the chain, the contract and the statement', async () => {
    const signature = await signStatement(key.privateKey, chainId, settlement, hash);
    expect(await recoverSigner(1n, settlement, hash, signature)).not.toBe(key.address);
    expect(await recoverSigner(chainId, other, hash, signature)).not.toBe(key.address);
    const otherHash = statementHash(aStatement({ slot: 8n }));
    expect(await recoverSigner(chainId, settlement, otherHash, signature)).not.toBe(key.address);
  });

  it('signs and recovers synchronously with the same bytes as viem', async () => {
    for (const [i, name] of ['a', 'b', 'c', 'd', 'e', 'f'].entries()) {
      const k = simValidatorKey(3, name);
      const h = statementHash(aStatement({ slot: BigInt(i) }));
      const viaViem = await signStatement(k.privateKey, chainId, settlement, h);
      expect(signStatementSync(k.privateKey, chainId, settlement, h)).toBe(viaViem);
      expect(recoverSignerSync(chainId, settlement, h, viaViem)).toBe(k.address);
    }
  });

  it('error: the sync recovery rejects what the async one rejects', async () => {
    expect(() => recoverSignerSync(chainId, settlement, hash, '0x1234')).toThrow(SignatureError);
    expect(() => recoverSignerSync(chainId, settlement, hash, `0x${'00'.repeat(64)}1b`)).toThrow(SignatureError);
  });

  it('error: rejects a malformed signature', async () => {
    await expect(recoverSigner(chainId, settlement, hash, '0x1234')).rejects.toThrow(SignatureError);
    const signature = await signStatement(key.privateKey, chainId, settlement, hash);
    const v0 = `${signature.slice(0, 130)}00` as Hex;
    await expect(recoverSigner(chainId, settlement, hash, v0)).rejects.toThrow(/v = 27 or 28/);
  });

  it('error: rejects the high-s twin of a valid signature', async () => {
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const signature = await signStatement(key.privateKey, chainId, settlement, hash);
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = signature.slice(130) === '1b' ? '1c' : '1b';
    const twin = `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, '0')}${v}` as Hex;
    await expect(recoverSigner(chainId, settlement, hash, twin)).rejects.toThrow(/low s/);
  });

  it('error: a signature of zeros does not recover', async () => {
    await expect(recoverSigner(chainId, settlement, hash, `0x${'00'.repeat(64)}1b`)).rejects.toThrow(SignatureError);
  });
});
