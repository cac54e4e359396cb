import { describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { issueCredential, verifyCredential } from './connection-credential.js';
import { CredentialError } from './identity-errors.js';
import { aCredentialClaims, aDevice, aGatekeeper, slotToSeconds } from './identity.fixture.js';

const dso = aGatekeeper();
const meter = aDevice();
const trusted = new Set([dso.did]);
const at = (slot: number) => ({ trustedGatekeepers: trusted, nowSeconds: slotToSeconds(slot) });

async function failure(promise: Promise<unknown>): Promise<CredentialError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CredentialError);
  return error as CredentialError;
}

describe('grid connection credentials', () => {
  it('issues a VC-JWT with explicit times and the gatekeeper as issuer and key id', async () => {
    const jwt = await issueCredential(dso.privateKey, aCredentialClaims(meter, { authorisedImportWh: 5000, prepaid: true }));
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: dso.did });
    const payload = decodeJwt(jwt);
    expect(payload).toMatchObject({ iss: dso.did, sub: meter.did, iat: slotToSeconds(0), nbf: slotToSeconds(0), exp: slotToSeconds(10_000) });
    expect(payload['vc']).toEqual({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'GridConnectionCredential'],
      credentialSubject: {
        id: meter.did, deviceType: 'meter', ratedPowerW: 11_000, area: 'riverside/street-3', owner: 'household-1',
        authorisedImportWh: 5000, authorisedPeriodSlots: 96, prepaid: true,
      },
    });
  });

  it('verifies and decodes a credential from a trusted gatekeeper', async () => {
    const jwt = await issueCredential(dso.privateKey, aCredentialClaims(meter));
    const credential = await verifyCredential(jwt, { ...at(5), expectedSubject: meter.did });
    expect(credential).toMatchObject({ issuer: dso.did, subject: meter.did, deviceType: 'meter', authorisedImportWh: null, prepaid: false, jwt });
  });

  it('error: rejects a credential from an untrusted gatekeeper', async () => {
    const rogue = aGatekeeper('rogue');
    const jwt = await issueCredential(rogue.privateKey, aCredentialClaims(meter));
    expect((await failure(verifyCredential(jwt, at(5)))).reason).toBe('untrusted-issuer');
  });

  it('error: rejects a credential whose issuer claim names a trusted gatekeeper it was not signed by', async () => {
    const rogue = aGatekeeper('rogue');
    const forged = await new SignJWT(decodeJwt(await issueCredential(dso.privateKey, aCredentialClaims(meter))))
      .setProtectedHeader({ alg: 'EdDSA' }).sign(rogue.privateKey);
    expect((await failure(verifyCredential(forged, at(5)))).reason).toBe('bad-signature');
  });

  it('error: rejects an expired and a not-yet-valid credential', async () => {
    const jwt = await issueCredential(dso.privateKey, aCredentialClaims(meter, { notBeforeSeconds: slotToSeconds(10), expiresAtSeconds: slotToSeconds(20) }));
    expect((await failure(verifyCredential(jwt, at(20)))).reason).toBe('expired');
    expect((await failure(verifyCredential(jwt, at(9)))).reason).toBe('not-yet-valid');
    await expect(verifyCredential(jwt, at(10))).resolves.toMatchObject({ subject: meter.did });
  });

  it('error: rejects a credential for another device', async () => {
    const jwt = await issueCredential(dso.privateKey, aCredentialClaims(meter));
    expect((await failure(verifyCredential(jwt, { ...at(5), expectedSubject: aDevice('other').did }))).reason).toBe('wrong-subject');
  });

  it('error: rejects a malformed or over-long token', async () => {
    expect((await failure(verifyCredential('not.a.jwt', at(5)))).reason).toBe('malformed');
    expect((await failure(verifyCredential('x'.repeat(5000), at(5)))).reason).toBe('malformed');
  });

  it('error: rejects a signed credential whose subject fails the schema, naming the path', async () => {
    const payload = decodeJwt(await issueCredential(dso.privateKey, aCredentialClaims(meter)));
    const vc = payload['vc'] as { credentialSubject: Record<string, unknown> };
    vc.credentialSubject['ratedPowerW'] = 1.5;
    vc.credentialSubject['colour'] = 'blue';
    const jwt = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA' }).sign(dso.privateKey);
    const error = await failure(verifyCredential(jwt, at(5)));
    expect(error.reason).toBe('invalid-claims');
    expect(error.details.join('\n')).toMatch(/vc\.credentialSubject\.ratedPowerW/);
    expect(error.details.join('\n')).toMatch(/vc\.credentialSubject\.colour: no such key/);
  });

  it('error: rejects a credential whose subject id differs from sub', async () => {
    const payload = decodeJwt(await issueCredential(dso.privateKey, aCredentialClaims(meter)));
    payload.sub = aDevice('other').did;
    const jwt = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA' }).sign(dso.privateKey);
    expect((await failure(verifyCredential(jwt, at(5)))).reason).toBe('invalid-claims');
  });

  it('error: refuses to issue invalid claims', async () => {
    const bad = aCredentialClaims(meter, { deviceType: 'toaster' as 'meter', notBeforeSeconds: slotToSeconds(20), expiresAtSeconds: slotToSeconds(10) });
    const error = await failure(issueCredential(dso.privateKey, bad));
    expect(error.reason).toBe('invalid-claims');
    expect(error.details.join('\n')).toMatch(/expiresAtSeconds/);
    const badType = await failure(issueCredential(dso.privateKey, aCredentialClaims(meter, { deviceType: 'toaster' as 'meter' })));
    expect(badType.details.join('\n')).toMatch(/credentialSubject\.deviceType/);
  });
});
