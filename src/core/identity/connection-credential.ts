/**
 * Grid connection credentials: W3C Verifiable Credentials in the JWT encoding (VC-JWT), signed
 * EdDSA (Ed25519) by a gatekeeper (the DSO, or the TSO for large plants), one per grid connection.
 *
 *   header   { alg: 'EdDSA', typ: 'JWT', kid: <issuer did:key> }
 *   payload  iss = gatekeeper DID, sub = device DID, jti = credential id,
 *            iat / nbf / exp = explicit Unix seconds (never the wall clock),
 *            vc = { '@context': [VC v1], type: ['VerifiableCredential', 'GridConnectionCredential'],
 *                   credentialSubject: { id = sub, deviceType, ratedPowerW, area, owner,
 *                                        authorisedImportWh, authorisedPeriodSlots, prepaid? } }
 *
 * A credential is valid for nbf <= t < exp (jose's semantics). jose is async, so issuing and
 * verifying are async; a gate verifies each credential once and keeps the decoded result.
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { formatZodIssues } from '../sim/scenario-validate.js';
import { didOfPublicKey, isDidKey, publicKeyObjectOfDid } from './did-key.js';
import { assertEd25519PrivateKey } from './ed25519-keys.js';
import { CredentialError, type CredentialFailure } from './identity-errors.js';

export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
export const CREDENTIAL_TYPE = 'GridConnectionCredential';
export const DEVICE_TYPES = ['meter', 'pv', 'wind', 'battery', 'ev-charger', 'heat-pump', 'chp', 'load', 'plant', 'participant'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Limits of the credential fields (a compact JWT longer than CREDENTIAL_JWT_MAX_LENGTH is malformed). */
export const CREDENTIAL_JWT_MAX_LENGTH = 4096;
export const RATED_POWER_W_MAX = 4_000_000_000; // fits the uint32 peakPowerW of a reading
export const AUTHORISED_IMPORT_WH_MAX = 1_000_000_000_000; // 1 TWh per period
export const AUTHORISED_PERIOD_SLOTS_MAX = 1_000_000;
export const CREDENTIAL_TEXT_MAX_LENGTH = 256;

/** What the gatekeeper grants a connection. */
export interface ConnectionGrant {
  readonly deviceType: DeviceType;
  /** Max plausible |power| of the device, W. */
  readonly ratedPowerW: number;
  readonly area: string;
  /** The owner (a participant DID or a name). */
  readonly owner: string;
  /** Energy the device may import per authorisation period, Wh; null = unlimited. */
  readonly authorisedImportWh: number | null;
  /** Length of the authorisation period in slots (periods are slot / authorisedPeriodSlots). */
  readonly authorisedPeriodSlots: number;
  /** Prepaid: import is also limited by a balance that only top-ups raise. */
  readonly prepaid?: boolean;
}

export interface CredentialClaims extends ConnectionGrant {
  readonly credentialId: string;
  /** Device DID. */
  readonly subject: string;
  readonly issuedAtSeconds: number;
  readonly notBeforeSeconds: number;
  readonly expiresAtSeconds: number;
}

/** A verified credential, decoded. */
export interface ConnectionCredential extends CredentialClaims {
  readonly issuer: string;
  readonly prepaid: boolean;
  readonly jwt: string;
}

export interface CredentialCheck {
  /** DIDs of the gatekeepers whose credentials are accepted. */
  readonly trustedGatekeepers: ReadonlySet<string>;
  /** The time to check nbf/exp against, Unix seconds. */
  readonly nowSeconds: number;
  /** When given, `sub` must be this DID. */
  readonly expectedSubject?: string;
}

const TEXT = `expected a non-empty string of at most ${CREDENTIAL_TEXT_MAX_LENGTH} characters`;
const text = () => z.string({ error: TEXT }).min(1, TEXT).max(CREDENTIAL_TEXT_MAX_LENGTH, TEXT);
const did = () => z.string({ error: 'expected a did:key' }).refine(isDidKey, 'expected an Ed25519 did:key');
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);
const seconds = () => wholeNumber(0, 2 ** 40);

export const credentialSubjectSchema = z.strictObject({
  id: did(),
  deviceType: z.enum(DEVICE_TYPES),
  ratedPowerW: wholeNumber(1, RATED_POWER_W_MAX),
  area: text(),
  owner: text(),
  authorisedImportWh: wholeNumber(0, AUTHORISED_IMPORT_WH_MAX).nullable(),
  authorisedPeriodSlots: wholeNumber(1, AUTHORISED_PERIOD_SLOTS_MAX),
  prepaid: z.boolean().optional(),
});

const vcSchema = z.object({
  '@context': z.array(z.string()).min(1).refine((c) => c[0] === VC_CONTEXT_V1, `expected ${VC_CONTEXT_V1} first`),
  type: z.array(z.string()).refine((t) => t.includes('VerifiableCredential') && t.includes(CREDENTIAL_TYPE),
    `expected to include "VerifiableCredential" and "${CREDENTIAL_TYPE}"`),
  credentialSubject: credentialSubjectSchema,
});

const claimsSchema = z.object({
  credentialId: text(),
  subject: did(),
  issuedAtSeconds: seconds(),
  notBeforeSeconds: seconds(),
  expiresAtSeconds: seconds(),
}).refine((c) => c.notBeforeSeconds < c.expiresAtSeconds, { message: 'expected notBeforeSeconds < expiresAtSeconds', path: ['expiresAtSeconds'] });

/** Signs a credential with the gatekeeper's Ed25519 private key; the issuer DID is that key's. */
export async function issueCredential(issuerPrivateKey: KeyObject, claims: CredentialClaims): Promise<string> {
  assertEd25519PrivateKey(issuerPrivateKey);
  const { credentialId, subject, issuedAtSeconds, notBeforeSeconds, expiresAtSeconds, ...grant } = claims;
  const credentialSubject = { id: subject, ...grant };
  check(claimsSchema.safeParse(claims, { reportInput: true }), 'invalid-claims', 'invalid credential claims', []);
  check(credentialSubjectSchema.safeParse(credentialSubject, { reportInput: true }), 'invalid-claims', 'invalid credential subject', ['credentialSubject']);
  const issuer = didOfPublicKey(issuerPrivateKey);
  const vc = { '@context': [VC_CONTEXT_V1], type: ['VerifiableCredential', CREDENTIAL_TYPE], credentialSubject };
  return new SignJWT({ vc })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: issuer })
    .setIssuer(issuer)
    .setSubject(subject)
    .setJti(credentialId)
    .setIssuedAt(issuedAtSeconds)
    .setNotBefore(notBeforeSeconds)
    .setExpirationTime(expiresAtSeconds)
    .sign(issuerPrivateKey);
}

/**
 * Verifies a credential: well-formed compact JWT, issuer among the trusted gatekeepers, EdDSA
 * signature by the issuer's did:key, subject, nbf <= nowSeconds < exp, and the credential subject
 * (zod). Throws CredentialError with a reason code.
 */
export async function verifyCredential(jwt: string, check: CredentialCheck): Promise<ConnectionCredential> {
  const issuer = trustedIssuerOf(jwt, check.trustedGatekeepers);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, issuerKey(issuer), {
      algorithms: ['EdDSA'],
      issuer,
      currentDate: new Date(check.nowSeconds * 1000),
      requiredClaims: ['iss', 'sub', 'jti', 'iat', 'nbf', 'exp'],
      ...(check.expectedSubject === undefined ? {} : { subject: check.expectedSubject }),
    }));
  } catch (cause) {
    throw joseFailure(cause);
  }
  return decodeVerifiedPayload(payload, issuer, jwt);
}

/**
 * Gatekeepers are few: keep their KeyObjects, so jose (which caches its CryptoKey per KeyObject)
 * does not convert the key on every verification. A memo of a pure function, bounded.
 */
const ISSUER_KEYS_MAX = 256;
const issuerKeys = new Map<string, KeyObject>();

function issuerKey(issuer: string): KeyObject {
  let key = issuerKeys.get(issuer);
  if (key === undefined) {
    key = publicKeyObjectOfDid(issuer);
    if (issuerKeys.size >= ISSUER_KEYS_MAX) issuerKeys.clear();
    issuerKeys.set(issuer, key);
  }
  return key;
}

function trustedIssuerOf(jwt: string, trusted: ReadonlySet<string>): string {
  if (typeof jwt !== 'string' || jwt.length > CREDENTIAL_JWT_MAX_LENGTH) {
    throw new CredentialError('malformed', `expected a compact JWT of at most ${CREDENTIAL_JWT_MAX_LENGTH} characters`);
  }
  let issuer: unknown;
  try {
    issuer = decodeJwt(jwt).iss;
  } catch (cause) {
    throw new CredentialError('malformed', 'expected a compact JWT (header.payload.signature)', { cause });
  }
  if (typeof issuer !== 'string') throw new CredentialError('malformed', 'expected an "iss" claim (the gatekeeper DID)');
  if (!trusted.has(issuer)) throw new CredentialError('untrusted-issuer', `issuer ${issuer} is not a trusted gatekeeper`);
  return issuer;
}

function decodeVerifiedPayload(payload: JWTPayload, issuer: string, jwt: string): ConnectionCredential {
  const vc = vcSchema.safeParse(payload['vc'], { reportInput: true });
  check(vc, 'invalid-claims', 'invalid credential subject', ['vc']);
  const subject = vc.data.credentialSubject;
  if (subject.id !== payload.sub) {
    throw new CredentialError('invalid-claims', `vc.credentialSubject.id (${subject.id}) must equal sub (${String(payload.sub)})`);
  }
  const { id, prepaid, ...grant } = subject;
  const times = claimsSchema.safeParse({
    credentialId: payload.jti, subject: id, issuedAtSeconds: payload.iat, notBeforeSeconds: payload.nbf, expiresAtSeconds: payload.exp,
  }, { reportInput: true });
  check(times, 'invalid-claims', 'invalid credential claims', []);
  return { ...times.data, ...grant, prepaid: prepaid ?? false, issuer, jwt };
}

function check<T>(result: z.ZodSafeParseResult<T>, reason: CredentialFailure, message: string, prefix: readonly PropertyKey[]): asserts result is z.ZodSafeParseSuccess<T> {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
  throw new CredentialError(reason, message, { details: formatZodIssues(issues) });
}

function joseFailure(cause: unknown): CredentialError {
  if (cause instanceof errors.JWTExpired) return new CredentialError('expired', 'the credential has expired', { cause });
  if (cause instanceof errors.JWTClaimValidationFailed) {
    if (cause.claim === 'nbf') return new CredentialError('not-yet-valid', 'the credential is not valid yet', { cause });
    if (cause.claim === 'sub') return new CredentialError('wrong-subject', 'the credential is for another device', { cause });
    return new CredentialError('invalid-claims', `credential claim "${cause.claim}": ${cause.reason}`, { cause });
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return new CredentialError('bad-signature', 'the credential signature does not verify with the issuer key', { cause });
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return new CredentialError('malformed', `malformed credential: ${message}`, { cause });
}
