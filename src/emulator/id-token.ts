/**
 * OpenID Connect `id_token`s (RS256), issued when `openid` is granted, and the JWKS that verifies
 * them at /id/keys. The key pair is made on first use, so starting the emulator stays fast, and is
 * shared by every emulator in the process (RSA key generation takes a few hundred milliseconds).
 */
import { createHash, createSign, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';

export interface IdTokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

let sharedKeys: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;
const kid = randomBytes(4).toString('hex');

function keyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  sharedKeys ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey }))),
  );
  return sharedKeys;
}

export function createIdTokenSigner(): IdTokenSigner {
  return {
    async sign(claims) {
      const { privateKey } = await keyPair();
      const header = b64url(JSON.stringify({ kid, typ: 'JWT', alg: 'RS256' }));
      const payload = b64url(JSON.stringify(claims));
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    async jwks() {
      const { publicKey } = await keyPair();
      const jwk = publicKey.export({ format: 'jwk' });
      return { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig', kid }] };
    },
  };
}

/** `at_hash`: base64url of the left half of SHA-256(access token) (OIDC Core §3.1.3.6). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}
