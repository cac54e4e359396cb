/**
 * Typed errors of the ledger core (expected failures: bad input, an id that is not known, a limit
 * exceeded). Broken invariants use `assert` instead.
 */
import { GridmeshError } from '../errors.js';

/** Bad ledger input: a leaf index out of range, an unknown validator, a malformed statement body. */
export class LedgerError extends GridmeshError {
  override readonly name: string = 'LedgerError';
}

/** A signature that is not 65 bytes of hex or does not recover to any address. */
export class SignatureError extends LedgerError {
  override readonly name = 'SignatureError';
}
