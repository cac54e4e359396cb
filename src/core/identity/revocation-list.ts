/**
 * Signed revocation lists. A gatekeeper revokes credentials it issued, each from an effective slot
 * on, and publishes the list with a sequence number; a gate applies only lists from trusted
 * gatekeepers whose sequence is newer than the last one it applied from that gatekeeper.
 *
 * Wire form (JSON): { issuer, sequence, revoked: [{ credentialId, effectiveSlot }], signature }
 * where signature = base64url(Ed25519(issuer key, canonical bytes)). Canonical bytes:
 *
 *   size   field
 *      1   format byte 0x31 (kind 3 = revocation list, version 1)
 *      2   issuer DID length in UTF-8 bytes (uint16), then the issuer DID (UTF-8)
 *      4   sequence (uint32)
 *      4   entry count (uint32)
 *   per entry, sorted by credentialId (JS string order), ids unique:
 *      2   credentialId length in UTF-8 bytes (uint16), then the id (UTF-8)
 *      4   effectiveSlot (uint32)
 *
 * Sorting inside the encoding makes it independent of the order the entries were listed in.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { formatZodIssues } from '../sim/scenario-validate.js';
import { writeUint16, writeUint32, UINT32_MAX } from './byte-fields.js';
import { CREDENTIAL_TEXT_MAX_LENGTH } from './connection-credential.js';
import { didOfPublicKey, isDidKey, publicKeyObjectOfDid } from './did-key.js';
import { assertEd25519PrivateKey, ED25519_SIGNATURE_BYTES } from './ed25519-keys.js';
import { RevocationError } from './identity-errors.js';

export const REVOCATION_FORMAT_V1 = 0x31;
export const REVOCATION_LIST_MAX_ENTRIES = 100_000;

export interface RevocationEntry {
  readonly credentialId: string;
  /** Data of the credential's device is rejected from this slot on. */
  readonly effectiveSlot: number;
}

export interface RevocationList {
  /** The gatekeeper's DID; it can only revoke credentials it issued. */
  readonly issuer: string;
  readonly sequence: number;
  readonly revoked: readonly RevocationEntry[];
}

export interface SignedRevocationList extends RevocationList {
  /** base64url of the 64-byte Ed25519 signature over the canonical bytes. */
  readonly signature: string;
}

const ID = `expected a non-empty string of at most ${CREDENTIAL_TEXT_MAX_LENGTH} characters`;
const uint32 = () => z.number().int().min(0).max(UINT32_MAX);

export const signedRevocationListSchema = z.strictObject({
  issuer: z.string().refine(isDidKey, 'expected an Ed25519 did:key'),
  sequence: uint32(),
  revoked: z.array(z.strictObject({
    credentialId: z.string().min(1, ID).max(CREDENTIAL_TEXT_MAX_LENGTH, ID),
    effectiveSlot: uint32(),
  })).max(REVOCATION_LIST_MAX_ENTRIES),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'expected the base64url of a 64-byte signature'),
});

/** The canonical bytes that are signed (see the module comment). */
export function encodeRevocationList(list: RevocationList): Uint8Array {
  if (list.revoked.length > REVOCATION_LIST_MAX_ENTRIES) {
    throw new RevocationError('too-many', `a revocation list holds at most ${REVOCATION_LIST_MAX_ENTRIES} entries (got ${list.revoked.length})`);
  }
  const entries = [...list.revoked].sort((a, b) => (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.credentialId === entries[i - 1]!.credentialId) {
      throw new RevocationError('malformed', `credential ${JSON.stringify(entries[i]!.credentialId)} is listed twice`);
    }
  }
  const encoder = new TextEncoder();
  const issuer = encoder.encode(list.issuer);
  const ids = entries.map((e) => encoder.encode(e.credentialId));
  const size = 1 + 2 + issuer.length + 4 + 4 + ids.reduce((sum, id) => sum + 2 + id.length + 4, 0);
  const bytes = new Uint8Array(size);
  bytes[0] = REVOCATION_FORMAT_V1;
  let offset = writeText(bytes, 1, issuer, 'issuer');
  writeUint32(bytes, offset, list.sequence, 'sequence');
  writeUint32(bytes, offset + 4, entries.length, 'count');
  offset += 8;
  entries.forEach((entry, i) => {
    offset = writeText(bytes, offset, ids[i]!, `revoked[${i}].credentialId`);
    writeUint32(bytes, offset, entry.effectiveSlot, `revoked[${i}].effectiveSlot`);
    offset += 4;
  });
  return bytes;
}

/** Signs a list with the gatekeeper's private key; the issuer is that key's DID. */
export function signRevocationList(issuerPrivateKey: KeyObject, list: Omit<RevocationList, 'issuer'>): SignedRevocationList {
  assertEd25519PrivateKey(issuerPrivateKey);
  const unsigned: RevocationList = { issuer: didOfPublicKey(issuerPrivateKey), sequence: list.sequence, revoked: list.revoked };
  const signature = sign(null, encodeRevocationList(unsigned), issuerPrivateKey);
  return { ...unsigned, signature: Buffer.from(signature).toString('base64url') };
}

/**
 * Parses (zod) and verifies a signed list: issuer among the trusted gatekeepers, signature by the
 * issuer's did:key over the canonical bytes. Throws RevocationError with a reason code.
 */
export function verifyRevocationList(input: unknown, trustedGatekeepers: ReadonlySet<string>): RevocationList {
  const parsed = signedRevocationListSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new RevocationError('malformed', 'invalid revocation list', { details: formatZodIssues(parsed.error.issues).slice(0, 20) });
  const { signature, ...list } = parsed.data;
  if (!trustedGatekeepers.has(list.issuer)) throw new RevocationError('untrusted-issuer', `issuer ${list.issuer} is not a trusted gatekeeper`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  const valid = signatureBytes.length === ED25519_SIGNATURE_BYTES
    && verify(null, encodeRevocationList(list), publicKeyObjectOfDid(list.issuer), signatureBytes);
  if (!valid) throw new RevocationError('bad-signature', `the revocation list signature does not verify with the key of ${list.issuer}`);
  return list;
}

function writeText(bytes: Uint8Array, offset: number, text: Uint8Array, field: string): number {
  writeUint16(bytes, offset, text.length, `${field} length`);
  bytes.set(text, offset + 2);
  return offset + 2 + text.length;
}
