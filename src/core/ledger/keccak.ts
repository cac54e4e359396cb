/**
 * Keccak-256 for the hot paths of settlement (statement hashes, signing digests), by hash-wasm's
 * WebAssembly build: ~300 MB/s on this machine against ~15 MB/s for the pure-JS @noble/hashes that
 * viem uses (measured in ADR 0016). Every validator hashes every statement it signs, so at 10,000
 * sites this is tens of milliseconds per slot instead of about a second.
 *
 * Pure: the WebAssembly module is bundled in the package (no file or network access), compiled once
 * when this module loads (top-level await), then used synchronously. Output is identical to viem's
 * `keccak256` (a test compares them).
 */
import { createKeccak } from 'hash-wasm';
import type { Hex } from 'viem';

const hasher = await createKeccak(256);

/** keccak256 of the bytes, as 32 bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest('binary');
}

/** keccak256 of the bytes, 0x-prefixed lowercase hex. */
export function keccak256Hex(data: Uint8Array): Hex {
  hasher.init();
  hasher.update(data);
  return `0x${hasher.digest('hex')}`;
}
