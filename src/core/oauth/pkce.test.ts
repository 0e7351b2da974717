import { describe, expect, it } from 'vitest';
import { computeCodeChallenge, createPkcePair, isValidCodeVerifier, VERIFIER_BYTES } from './pkce.js';

const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);

describe('computeCodeChallenge', () => {
  it.each([
    // RFC 7636 Appendix B.
    ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
    // SHA-256 of 43 'a's, computed independently with `printf … | openssl dgst -sha256 -binary | base64`.
    ['a'.repeat(43), 'ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA'],
  ])('%s → %s', (verifier, challenge) => {
    expect(computeCodeChallenge(verifier)).toBe(challenge);
  });

  it('is base64url without padding', () => {
    expect(computeCodeChallenge('x'.repeat(128))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('createPkcePair', () => {
  it('asks for 32 bytes and returns a 43-character base64url verifier with its S256 challenge', () => {
    const asked: number[] = [];
    const pair = createPkcePair((n) => {
      asked.push(n);
      return new Uint8Array(n).map((_, i) => i);
    });
    expect(asked).toEqual([VERIFIER_BYTES]);
    expect(pair.method).toBe('S256');
    expect(pair.verifier).toBe(Buffer.from(new Uint8Array(32).map((_, i) => i)).toString('base64url'));
    expect(pair.verifier).toHaveLength(43);
    expect(isValidCodeVerifier(pair.verifier)).toBe(true);
    expect(pair.challenge).toBe(computeCodeChallenge(pair.verifier));
  });

  it.each([0x00, 0xff, 0xfb])('stays in the RFC alphabet for byte %i', (byte) => {
    const { verifier } = createPkcePair(fixed(byte));
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
  });

  it('differs for different random input', () => {
    expect(createPkcePair(fixed(1)).verifier).not.toBe(createPkcePair(fixed(2)).verifier);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => createPkcePair(() => new Uint8Array(16))).toThrow(TypeError);
  });
});

describe('isValidCodeVerifier', () => {
  it.each([
    ['a'.repeat(43), true],
    ['a'.repeat(128), true],
    ['a'.repeat(42), false],
    ['a'.repeat(129), false],
    ['a'.repeat(42) + '~', true],
    ['a'.repeat(42) + '+', false],
    ['a'.repeat(42) + '=', false],
  ])('%s → %s', (verifier, valid) => {
    expect(isValidCodeVerifier(verifier)).toBe(valid);
  });
});
