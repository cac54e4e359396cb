import { describe, expect, it } from 'vitest';
import { GridmeshError } from '../errors.js';
import { CredentialError, GateError, RevocationError } from './identity-errors.js';

describe('identity errors', () => {
  it('carry a reason code next to the message, details and cause', () => {
    const cause = new Error('jose said no');
    const error = new CredentialError('expired', 'the credential has expired', { details: ['exp: 1000'], cause });
    expect(error).toBeInstanceOf(GridmeshError);
    expect(error.name).toBe('CredentialError');
    expect(error.reason).toBe('expired');
    expect(error.details).toEqual(['exp: 1000']);
    expect(error.cause).toBe(cause);
    expect(new RevocationError('stale-sequence', 'old').reason).toBe('stale-sequence');
    expect(new GateError('too-many-devices', 'full').name).toBe('GateError');
  });
});
