/**
 * The token response's `signature` (docs/salesforce.md §4.4): standard, padded Base64 of
 * HMAC-SHA256(key = client secret, message = id + issued_at). Checking it proves the identity URL
 * came from Salesforce for this app; only a confidential client (one with a secret) can check it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function computeSignature(idUrl: string, issuedAt: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(idUrl + issuedAt, 'utf8').digest('base64');
}

/** False when the signature is missing, malformed or wrong. Compared in constant time. */
export function verifySignature(t: { idUrl: string; issuedAt: string; signature?: string }, clientSecret: string): boolean {
  if (t.signature === undefined || clientSecret === '') return false;
  const expected = Buffer.from(computeSignature(t.idUrl, t.issuedAt, clientSecret), 'utf8');
  const actual = Buffer.from(t.signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch says nothing about the secret.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
