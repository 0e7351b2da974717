import { describe, expect, it } from 'vitest';
import { loadProfile } from './load-profile.js';
import { createMemoryStore } from '../../test/support/memory-store.js';
import { NotConfiguredError } from '../errors.js';
import type { Profile } from '../core/config/profile.js';

const profile = {
  flow: 'web-server',
  env: 'production',
  appType: 'connected-app',
  loginUrl: 'https://login.salesforce.com',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  extraCallbackUrls: [],
  clientId: '3MVG9x',
  scopes: ['api'],
  createdAt: '2026-01-01T00:00:00.000Z',
} satisfies Profile;

describe('"no such profile" is worded one way', () => {
  it('by the commands that load a profile and by the store', async () => {
    const store = createMemoryStore({ config: { version: 2, profiles: { ci: profile } } });
    const fromLoad = await loadProfile({ openStore: async () => store }, { profile: 'prod' }).catch((e: unknown) => e);
    const fromStore = await store.update('prod', { username: 'x' }).catch((e: unknown) => e);
    for (const err of [fromLoad, fromStore]) {
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect((err as NotConfiguredError).message).toBe(`No profile "prod" in ${store.path}.`);
      expect((err as NotConfiguredError).hint).toBe('Use --profile with one of: ci; or run `sfoauth init --profile prod` to create it.');
    }
  });
});
