import { describe, expect, it } from 'vitest';
import { computeSignature, verifySignature } from './signature.js';

// docs/salesforce.md §4.4 (computed with HMAC-SHA256, the way Salesforce documents it).
const ID = 'https://login.salesforce.com/id/00Dd0000000d45TEBQ/005d0000000fyGPCCY';
const ISSUED_AT = '1331142541514';
const SECRET = 'Consumer Secret';
const SIGNATURE = 'US+o9SSknqogfi9fRiX4LDLM2TYqv3/DIpUmmhV4Okw=';

describe('computeSignature', () => {
  it('matches the test vector: standard padded Base64 of HMAC-SHA256(secret, id + issued_at)', () => {
    expect(computeSignature(ID, ISSUED_AT, SECRET)).toBe(SIGNATURE);
  });
});

describe('verifySignature', () => {
  it('accepts the right signature', () => {
    expect(verifySignature({ idUrl: ID, issuedAt: ISSUED_AT, signature: SIGNATURE }, SECRET)).toBe(true);
  });

  it.each([
    ['a changed id', { idUrl: ID.replace('fyGPCCY', 'fyGPCCZ'), issuedAt: ISSUED_AT, signature: SIGNATURE }, SECRET],
    ['a changed issued_at', { idUrl: ID, issuedAt: '1331142541515', signature: SIGNATURE }, SECRET],
    ['another secret', { idUrl: ID, issuedAt: ISSUED_AT, signature: SIGNATURE }, 'Other Secret'],
    ['base64url instead of Base64', { idUrl: ID, issuedAt: ISSUED_AT, signature: 'US-o9SSknqogfi9fRiX4LDLM2TYqv3_DIpUmmhV4Okw' }, SECRET],
    ['no signature', { idUrl: ID, issuedAt: ISSUED_AT }, SECRET],
    ['a truncated signature', { idUrl: ID, issuedAt: ISSUED_AT, signature: SIGNATURE.slice(0, 10) }, SECRET],
    ['an empty secret', { idUrl: ID, issuedAt: ISSUED_AT, signature: computeSignature(ID, ISSUED_AT, '') }, ''],
  ])('rejects %s', (_what, token, secret) => {
    expect(verifySignature(token, secret)).toBe(false);
  });
});
