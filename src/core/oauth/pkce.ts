/**
 * PKCE (RFC 7636) with S256 only: sfoauth never offers `plain` and never skips PKCE, because External
 * Client Apps require it by default and Salesforce treats a missing method as S256 anyway
 * (docs/salesforce.md §3.1, §6).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
 */
import { createHash } from 'node:crypto';

export interface PkcePair {
  /** Secret: sent only in the token exchange. 43 base64url characters. */
  readonly verifier: string;
  /** base64url_nopad(SHA-256(verifier)), sent on the authorize URL. */
  readonly challenge: string;
  readonly method: 'S256';
}

/** 32 random bytes give a 43-character verifier: the RFC's minimum length with 256 bits of entropy. */
export const VERIFIER_BYTES = 32;

/** RFC 7636 §4.1: 43 to 128 characters from the unreserved set. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

export function createPkcePair(random: (n: number) => Uint8Array): PkcePair {
  const bytes = random(VERIFIER_BYTES);
  if (bytes.length < VERIFIER_BYTES) {
    // A broken random source must never produce a short, guessable verifier.
    throw new TypeError(`random(${VERIFIER_BYTES}) returned ${bytes.length} bytes`);
  }
  const verifier = Buffer.from(bytes.subarray(0, VERIFIER_BYTES)).toString('base64url');
  return { verifier, challenge: computeCodeChallenge(verifier), method: 'S256' };
}

/**
 * The S256 challenge of any verifier. It does not check the length, so the emulator can also hash the
 * longer verifiers that real clients (jsforce, sfdx: 171 characters) send and Salesforce accepts.
 */
export function computeCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` follows RFC 7636 §4.1 (43–128 unreserved characters). */
export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER_PATTERN.test(verifier);
}
