/** The checks Salesforce does with cryptography: the token `signature` and PKCE. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type ChallengeMethod = 'S256' | 'plain';

/**
 * `signature` in token responses: Base64(HMAC-SHA256(key = consumer secret, message = id + issued_at)),
 * standard Base64 with padding (docs/salesforce.md §4.4). Clients use it to prove they hold the right secret.
 */
export function signIdentity(clientSecret: string, idUrl: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret).update(idUrl + issuedAt).digest('base64');
}

/** base64url(SHA-256(verifier)) without padding (RFC 7636 §4.2), or the verifier itself for `plain`. */
export function challengeFor(verifier: string, method: ChallengeMethod): string {
  return method === 'plain' ? verifier : createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function verifierMatches(verifier: string, challenge: string, method: ChallengeMethod): boolean {
  return safeEqual(challengeFor(verifier, method), challenge);
}

/** Constant-time string comparison (secrets, tickets). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
