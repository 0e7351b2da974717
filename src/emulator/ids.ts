/**
 * Identifiers and credentials shaped like Salesforce's, so clients that pattern-match them (SFDX's
 * `00D…!` access-token regex, Nango's 64-hex secret pattern, the `3MVG9` key check) accept the
 * emulator's values. None of these are secrets of anything real: they are random test values.
 */
import { randomBytes } from 'node:crypto';

/** 64 symbols, so one random byte masked to 6 bits picks a symbol without bias. */
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** `n` characters from the 64-symbol token alphabet (letters, digits, `.` and `_`). */
export function randomTokenChars(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += TOKEN_ALPHABET[b & 63];
  return out;
}

/** `n` letters and digits, uniformly (rejection sampling: 62 does not divide 256). */
export function randomAlnum(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += ALNUM[b % 62];
    }
  }
  return out;
}

/**
 * The 3-character suffix that turns a case-sensitive 15-character id into the case-insensitive
 * 18-character form: for each 5-character chunk, a 5-bit mask of which characters are upper case.
 */
export function toId18(id15: string): string {
  if (!/^[A-Za-z0-9]{15}$/.test(id15)) throw new TypeError('a Salesforce id has 15 letters or digits before its suffix');
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return id15 + suffix;
}

/** A random two-character "pod" shared by the org's ids, as in `00D5i…` / `0055i…`. */
export function newPod(): string {
  return randomAlnum(1).replace(/^[a-z]/, (c) => c.toUpperCase()) + randomAlnum(1).toLowerCase();
}

/** An 18-character record id: key prefix (`00D` org, `005` user), pod, zero padding, random tail. */
export function newRecordId(prefix: '00D' | '005', pod: string): string {
  return toId18(`${prefix}${pod}00000${randomAlnum(5)}`);
}

/** Opaque access token `00D<orgId15>!AR…` (SFDX-CORE matches `(00D\w{12,15})![.\w]*`). */
export function newAccessToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!AR${randomTokenChars(96)}`;
}

/** Refresh tokens start `5Aep86…` on real orgs. */
export function newRefreshToken(): string {
  return `5Aep861${randomTokenChars(80)}`;
}

/**
 * Authorization codes are base64 text that ends in `==` (`aPrx…Hvg==`), so a client that forgets to
 * URL-decode the callback (`%3D%3D`) or re-encodes `+`/`/` is caught here as it would be by Salesforce.
 */
export function newAuthorizationCode(): string {
  return `aPrx${randomBytes(64).toString('base64')}`;
}

/** Consumer key: `3MVG9` and about 80 more characters (public validators use `^3MVG9[A-Za-z0-9._]{50,150}$`). */
export function newClientId(): string {
  return `3MVG9${randomTokenChars(80)}`;
}

/** Consumer secret: 64 upper-case hex characters, the ECA and modern Connected App format. */
export function newClientSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

/** An unguessable one-time value for the emulator's own forms. */
export function newTicket(): string {
  return randomBytes(24).toString('base64url');
}
