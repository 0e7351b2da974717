/**
 * The OAuth `state`: 32 random bytes, compared in constant time so a forged callback learns nothing
 * from how long the comparison took (init checks state in constant time, and only once).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
import { timingSafeEqual } from 'node:crypto';

export const STATE_BYTES = 32;

export function createState(random: (n: number) => Uint8Array): string {
  const bytes = random(STATE_BYTES);
  if (bytes.length < STATE_BYTES) throw new TypeError(`random(${STATE_BYTES}) returned ${bytes.length} bytes`);
  return Buffer.from(bytes.subarray(0, STATE_BYTES)).toString('base64url');
}

/**
 * Constant-time equality. Strings of different byte length are unequal (timingSafeEqual would throw);
 * an empty string never matches, so an unset expected state cannot accept a callback without one.
 */
export function statesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length === 0 || left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
