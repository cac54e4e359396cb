/**
 * The validator set of one microgrid as the co-signer sees it: addresses in ascending order (the
 * order the Settlement contract wants signatures in), each with an index, and bitmaps over those
 * indices ("which validators' votes I hold"), written as hex bytes, validator i = bit (i mod 8) of
 * byte ⌊i/8⌋.
 */
import { getAddress, isAddress, type Address } from 'viem';
import { MAX_VALIDATORS, quorumThreshold } from '../../core/ledger/quorum.js';
import { compareAddresses } from '../../core/ledger/validator-keys.js';
import { PeerError } from './peer-errors.js';

export class ValidatorSet {
  /** Checksummed, ascending. */
  readonly addresses: readonly Address[];
  readonly threshold: number;
  private readonly indexByLower: ReadonlyMap<string, number>;

  constructor(addresses: readonly string[]) {
    if (addresses.length === 0) throw new PeerError('bad-config', 'a validator set needs at least one validator');
    if (addresses.length > MAX_VALIDATORS) throw new PeerError('bad-config', `at most ${MAX_VALIDATORS} validators per microgrid (got ${addresses.length})`);
    const checked = addresses.map((a) => {
      if (!isAddress(a, { strict: false })) throw new PeerError('bad-config', `not an address: ${String(a).slice(0, 60)}`);
      return getAddress(a);
    }).sort(compareAddresses);
    const index = new Map<string, number>();
    checked.forEach((a, i) => {
      if (index.has(a.toLowerCase())) throw new PeerError('bad-config', `validator ${a} is listed twice`);
      index.set(a.toLowerCase(), i);
    });
    this.addresses = checked;
    this.indexByLower = index;
    this.threshold = quorumThreshold(checked.length);
  }

  get size(): number {
    return this.addresses.length;
  }

  indexOf(address: string): number | undefined {
    return this.indexByLower.get(address.toLowerCase());
  }

  /** Hex characters of a bitmap of this set (two per byte). */
  get bitmapHexLength(): number {
    return Math.ceil(this.size / 8) * 2;
  }

  bitmap(addresses: Iterable<string>): string {
    const bytes = new Uint8Array(Math.ceil(this.size / 8));
    for (const address of addresses) {
      const i = this.indexOf(address);
      if (i !== undefined) bytes[i >> 3] = (bytes[i >> 3] as number) | (1 << (i & 7));
    }
    return Buffer.from(bytes).toString('hex');
  }

  /** Whether validator `index` is set in `bitmapHex` (false for a malformed bitmap). */
  static has(bitmapHex: string, index: number): boolean {
    const byte = Number.parseInt(bitmapHex.slice((index >> 3) * 2, (index >> 3) * 2 + 2), 16);
    return Number.isInteger(byte) && (byte & (1 << (index & 7))) !== 0;
  }
}
