/**
 * The emulator under the same treatment as sfoauth (docs/hostile-input.md "Emulator"): malformed control
 * requests are 4xx, control values are bounded, state is bounded, and only this machine's clients
 * (right Host, no foreign Origin) may drive it.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { STORE_LIMITS, TokenStore } from '../../src/emulator/store.js';
import { emulatorOptions, type EmulatorFlags } from '../../src/cli/commands/emulator.js';
import { UsageError } from '../../src/errors.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** A raw request, so the test controls the Host and Origin headers (fetch does not let it set Host). */
function raw(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: { 'content-type': 'application/json', ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

describe('emulator control routes', () => {
  it('answer 400, not 500, to bad percent-encoding and unparseable request targets', async () => {
    emu = await startEmulator({ autoApprove: true });
    expect((await raw(emu.loginUrl, '/__emulator/apps/%E0%A4%A', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await raw(emu.loginUrl, '/__emulator/apps/%', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await raw(emu.loginUrl, '//[', { method: 'GET' })).status).toBe(400);
  });

  it('refuse a cross-origin form POST and a foreign Host (DNS rebinding); this machine still gets through', async () => {
    emu = await startEmulator({ autoApprove: true });
    const port = new URL(emu.loginUrl).port;
    const evil = await raw(emu.loginUrl, '/__emulator/revoke-all', { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(evil.status).toBe(403);
    expect((await raw(emu.loginUrl, '/__emulator/revoke-all', { method: 'POST', headers: { origin: 'null' } })).status).toBe(403);
    expect((await raw(emu.loginUrl, '/__emulator/state', { headers: { host: `rebind.evil.example:${port}` } })).status).toBe(403);
    expect((await raw(emu.loginUrl, '/__emulator/state', { headers: { host: `127.0.0.1:${Number(port) + 1}` } })).status).toBe(403);
    expect((await raw(emu.loginUrl, '/__emulator/state', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // Node clients send no Origin; the emulator's own pages send their own origin.
    expect((await raw(emu.loginUrl, '/__emulator/state')).status).toBe(200);
    expect((await raw(emu.loginUrl, '/__emulator/state', { headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` } })).status).toBe(200);
  });

  it('bound numeric faults: slowMs 3e9 (which overflowed the timer to ~7 ms) is a 400', async () => {
    emu = await startEmulator({ autoApprove: true });
    const tooSlow = await raw(emu.loginUrl, '/__emulator/faults', { method: 'POST', body: JSON.stringify({ slowMs: 3e9 }) });
    expect(tooSlow.status).toBe(400);
    expect(tooSlow.body).toMatch(/use 0 to 600000/);
    expect((await raw(emu.loginUrl, '/__emulator/faults', { method: 'POST', body: JSON.stringify({ serverError: 1e9 }) })).status).toBe(400);
    expect((await raw(emu.loginUrl, '/__emulator/faults', { method: 'POST', body: JSON.stringify({ slowMs: 0 }) })).status).toBe(200);
  });
});

describe('emulator state is bounded', () => {
  it('keeps at most STORE_LIMITS of codes, access tokens, refresh tokens and approvals however many are issued', () => {
    const store = new TokenStore();
    const now = Date.now();
    for (let i = 0; i < 12_000; i++) {
      store.issueCode({ clientId: 'c', redirectUri: 'http://localhost/cb', userId: 'u', scopes: ['api'], method: 'S256', issuedAt: now });
      store.issueAccessToken({ clientId: 'c', userId: `u${i}`, scopes: ['api'], issuedAt: now, expiresAt: now + 3_600_000 }, '00D000000000001');
      const { grant } = store.createGrant('c', `u${i}`, ['api'], now);
      store.rotate(grant, now);
    }
    expect(store.codes.size).toBeLessThanOrEqual(STORE_LIMITS.codes);
    expect(store.accessTokens.size).toBeLessThanOrEqual(STORE_LIMITS.accessTokens);
    expect(store.refreshTokens.size).toBeLessThanOrEqual(STORE_LIMITS.refreshTokens);
    expect(store.grants.size).toBeLessThanOrEqual(STORE_LIMITS.grants);
  });

  it('drops spent records before live ones', () => {
    const store = new TokenStore();
    const now = Date.now();
    const live = store.issueAccessToken({ clientId: 'c', userId: 'u', scopes: [], issuedAt: now, expiresAt: now + 3_600_000 }, '00D000000000001');
    for (let i = 0; i < STORE_LIMITS.accessTokens + 10; i++) {
      store.issueAccessToken({ clientId: 'c', userId: 'u', scopes: [], issuedAt: now, expiresAt: now - 1 }, '00D000000000001');
    }
    expect(store.accessTokens.has(live.token)).toBe(true);
  });
});

describe('sfoauth emulator --callback-url', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/cb', 'javascript://alert(1)'])('refuses %s (http and https only)', async (url) => {
    const flags = { callbackUrl: [url] } as EmulatorFlags;
    await expect(emulatorOptions(flags)).rejects.toThrow(UsageError);
    await expect(emulatorOptions(flags)).rejects.toThrow(/http:\/\/ or https:\/\//);
  });
});
