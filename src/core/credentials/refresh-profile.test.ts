/**
 * refreshProfile over the in-memory store and a scripted token endpoint: the order of lock, pre-flight,
 * refresh, journal and save, and what each failure says and keeps. The spawned-binary tests
 * (test/e2e/credentials.test.ts) cover the same paths across real processes and files.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, NetworkError } from '../../errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/request.js';
import type { Profile } from '../config/profile.js';
import { createMemoryStore, type MemoryStore } from '../../../test/support/memory-store.js';
import { refreshProfile } from './refresh-profile.js';
import { fingerprint, recoverPendingToken } from './pending-token.js';
import { webServer, webServerProfile } from '../../../test/support/web-server-profile.js';

const profile: Profile = webServerProfile({
  clientId: '3MVG9abcdefghijklmnopqrstuvwxyz',
  refreshToken: 'R0',
  createdAt: '2025-01-02T03:04:05.000Z',
});

const storeWith = (): MemoryStore => createMemoryStore({ config: { version: 2, profiles: { ci: profile } } });

function response(status: number, body: unknown): HttpResponse {
  const text = JSON.stringify(body);
  return { status, headers: new Headers({ 'content-type': 'application/json' }), text, url: 'https://login.salesforce.com/services/oauth2/token', json: () => JSON.parse(text) as unknown };
}

/** A token endpoint that rotates: each refresh answers A<n> and R<n>; `before` runs as the request lands. */
function rotatingEndpoint(before?: (req: HttpRequest) => void | Promise<void>): HttpClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    request: async (req) => {
      sent.push(req.form?.refresh_token ?? '');
      await before?.(req);
      const n = sent.length;
      return response(200, { access_token: `A${n}`, refresh_token: `R${n}`, instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D/005', issued_at: '1' });
    },
  };
}

const now = () => Date.now();

describe('refreshProfile', () => {
  it('saves a rotated token into the profile and leaves no journal', async () => {
    const store = storeWith();
    const http = rotatingEndpoint();
    const r = await refreshProfile({ store, name: 'ci', http, now });
    expect(r).toMatchObject({ accessToken: 'A1', rotated: true });
    expect(webServer(await store.get('ci')).refreshToken).toBe('R1');
    expect(await store.listSidecars('pending-token')).toEqual([]);
    expect(http.sent).toEqual(['R0']);
  });

  it('queued callers each use the token the one before saved (no reuse of a rotated-out token)', async () => {
    const store = storeWith();
    const http = rotatingEndpoint();
    await Promise.all([1, 2, 3].map(() => refreshProfile({ store, name: 'ci', http, now })));
    expect(http.sent).toEqual(['R0', 'R1', 'R2']);
    expect(webServer(await store.get('ci')).refreshToken).toBe('R3');
  });

  it('with reuseConcurrentAccessToken, callers that waited reuse the access token obtained meanwhile', async () => {
    const store = storeWith();
    const http = rotatingEndpoint();
    const results = await Promise.all([1, 2, 3].map(() => refreshProfile({ store, name: 'ci', http, now, reuseConcurrentAccessToken: true })));
    expect(http.sent).toEqual(['R0']);
    expect(results.map((r) => r.accessToken)).toEqual(['A1', 'A1', 'A1']);
    // A later caller did not wait for that refresh: it refreshes.
    await refreshProfile({ store, name: 'ci', http, now: () => Date.now() + 1, reuseConcurrentAccessToken: true });
    expect(http.sent).toEqual(['R0', 'R1']);
  });

  it('spends nothing when the pre-flight fails', async () => {
    const store = storeWith();
    store.failWrites = true;
    const http = rotatingEndpoint();
    await expect(refreshProfile({ store, name: 'ci', http, now })).rejects.toThrow(ConfigError);
    expect(http.sent).toEqual([]);
  });

  it('spends nothing when cancelled before the request; once sent, Ctrl-C waits for the answer and the save', async () => {
    const early = new AbortController();
    early.abort(new Error('cancelled'));
    const store = storeWith();
    const idle = rotatingEndpoint();
    await expect(refreshProfile({ store, name: 'ci', http: idle, now, signal: early.signal })).rejects.toThrow('cancelled');
    expect(idle.sent).toEqual([]);

    const late = new AbortController();
    const notices: string[] = [];
    const http = rotatingEndpoint(() => late.abort(new Error('cancelled')));
    const r = await refreshProfile({ store, name: 'ci', http, now, signal: late.signal, notice: (l) => notices.push(l) });
    expect(r.rotated).toBe(true);
    expect(webServer(await store.get('ci')).refreshToken).toBe('R1');
    expect(notices.join('\n')).toContain('Waiting for the token refresh in flight to finish and be saved');
  });

  it('when the profile write fails after a rotation, the token is in the journal, the message says so, and recovery restores it', async () => {
    const store = storeWith();
    const http = rotatingEndpoint(() => {
      store.failWrites = true; // the disk fills up while the request is in flight
    });
    const err = await refreshProfile({ store, name: 'ci', http, now }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toContain('Salesforce rotated the refresh token of profile "ci"');
    expect(message).toContain('no longer works');
    expect(message).toContain(`The new refresh token is safe in ${store.sidecarPath('pending-token', 'ci')}`);
    expect(message).not.toContain('unchanged');
    expect(message).not.toContain('R1');
    expect((err as ConfigError).hint).toContain('sfoauth doctor --fix --profile ci');
    expect(await store.readSidecar('pending-token', 'ci')).toMatchObject({ refreshToken: 'R1', replaces: fingerprint('R0') });

    store.failWrites = false;
    await store.withLock(() => recoverPendingToken(store, 'ci'));
    expect(webServer(await store.get('ci')).refreshToken).toBe('R1');
    expect(await store.listSidecars('pending-token')).toEqual([]);
  });

  it('the next refresh restores a journaled token first and spends that one', async () => {
    const store = storeWith();
    await store.writeSidecar('pending-token', 'ci', { profile: 'ci', refreshToken: 'R7', replaces: fingerprint('R0'), receivedAt: '' });
    const http = rotatingEndpoint();
    const r = await refreshProfile({ store, name: 'ci', http, now });
    expect(http.sent).toEqual(['R7']);
    expect(r.recoveredFrom).toBe(store.sidecarPath('pending-token', 'ci'));
  });

  it('a journal that does not follow the saved token is not applied, and is kept aside rather than overwritten', async () => {
    const store = storeWith();
    await store.writeSidecar('pending-token', 'ci', { profile: 'ci', refreshToken: 'R7', replaces: fingerprint('other'), receivedAt: '' });
    const http = rotatingEndpoint();
    await refreshProfile({ store, name: 'ci', http, now });
    expect(http.sent).toEqual(['R0']);
    expect(await store.readSidecar('unmatched-token', 'ci')).toMatchObject({ refreshToken: 'R7' });
    expect(await store.listSidecars('pending-token')).toEqual([]);
  });

  it('says the token is lost when neither the journal nor the profile could be written', async () => {
    const store = storeWith();
    const http = rotatingEndpoint(() => {
      store.failWrites = true;
      store.failSidecars = true;
    });
    const err = (await refreshProfile({ store, name: 'ci', http, now }).catch((e: unknown) => e)) as ConfigError;
    expect(err.message).toContain('could not be written anywhere and is lost');
    expect(err.hint).toContain('sfoauth init --profile ci');
  });

  it('a refresh that times out says the token may have been spent, and how to find out', async () => {
    const store = storeWith();
    const http: HttpClient = {
      request: async () => {
        throw new NetworkError('timeout', 'login.salesforce.com', 'timed out');
      },
    };
    const err = (await refreshProfile({ store, name: 'ci', http, now }).catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toContain('Salesforce may still have carried it out');
    expect(err.hint).toContain('sfoauth init --profile ci');
  });
});
