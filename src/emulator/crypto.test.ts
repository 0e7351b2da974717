import { describe, expect, it } from 'vitest';
import { challengeFor, safeEqual, signIdentity, verifierMatches } from './crypto.js';

describe('signIdentity', () => {
  it('matches the HMAC-SHA256 test vector in docs/salesforce.md §4.4', () => {
    expect(
      signIdentity('Consumer Secret', 'https://login.salesforce.com/id/00Dd0000000d45TEBQ/005d0000000fyGPCCY', '1331142541514'),
    ).toBe('US+o9SSknqogfi9fRiX4LDLM2TYqv3/DIpUmmhV4Okw=');
  });

  it('changes with the id, the time and the secret', () => {
    const base = signIdentity('s', 'https://login.salesforce.com/id/a/b', '1');
    expect(signIdentity('t', 'https://login.salesforce.com/id/a/b', '1')).not.toBe(base);
    expect(signIdentity('s', 'https://login.salesforce.com/id/a/c', '1')).not.toBe(base);
    expect(signIdentity('s', 'https://login.salesforce.com/id/a/b', '2')).not.toBe(base);
  });
});

describe('PKCE', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

  it('S256 matches the RFC 7636 appendix B vector', () => {
    expect(challengeFor(verifier, 'S256')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifierMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
  });

  it('rejects another verifier, and a plain challenge checked as S256', () => {
    expect(verifierMatches(`${verifier}x`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(false);
    expect(verifierMatches(verifier, verifier, 'S256')).toBe(false);
    expect(verifierMatches(verifier, verifier, 'plain')).toBe(true);
  });
});

describe('safeEqual', () => {
  it('compares by value', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
