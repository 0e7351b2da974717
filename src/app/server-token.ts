/**
 * The server-to-server flows' access token for the app layer (docs/flows.md): the private key of a JWT
 * bearer profile comes from SFOAUTH_PRIVATE_KEY (PEM content, as CI secrets hold it) or from the key
 * file, read without following links; the key stays in memory and is never printed.
 */
import type { HttpClient } from '../core/http/request.js';
import type { TokenResponse } from '../core/oauth/token.js';
import { requestServerToken, type ServerProfile } from '../core/credentials/server-token.js';
import { readPemFile } from '../platform/certificate.js';

export function serverToken(p: { profile: ServerProfile; http: HttpClient; now: () => number; privateKeyPem?: string | undefined; timeoutMs?: number }): Promise<TokenResponse> {
  const { profile } = p;
  return requestServerToken({
    http: p.http,
    profile,
    now: p.now,
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
    ...(profile.flow === 'jwt-bearer' ? { privateKeyPem: () => p.privateKeyPem ?? readPemFile(profile.privateKeyFile).text } : {}),
  });
}
