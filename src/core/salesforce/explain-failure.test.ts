/** Fixes that do not guess: the real profile (shell-quoted), the SFOAUTH_* variable to update, the callback URL sent. */
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../../errors.js';
import { explainFailure, fillSlots, inFailureContext, type FailureContext } from './explain-failure.js';
import { CATALOG } from './error-catalog.js';

const revoked = { error: 'invalid_grant', description: 'expired access/refresh token', endpoint: 'token' } as const;
const badSecret = { error: 'invalid_client', description: 'invalid client credentials', endpoint: 'token' } as const;
const badKey = { error: 'invalid_client_id', description: 'client identifier invalid', endpoint: 'token' } as const;
const mismatch = { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', endpoint: 'authorize' } as const;

const profile: FailureContext = { input: { mode: 'profile', profile: 'ci-sandbox' }, appType: 'external-client-app' };
const env: FailureContext = { input: { mode: 'env' } };

describe('explainFailure: the fix names where the credentials came from', () => {
  it('a profile: the real name, never the <name> placeholder', () => {
    const e = explainFailure(revoked, profile);
    expect(e.fix).toMatch(/^Re-run `sfoauth init --profile ci-sandbox` for a new refresh token\./);
    expect(`${e.cause} ${e.fix}`).not.toContain('<name>');
  });

  it('a profile name a shell would split is quoted', () => {
    const e = explainFailure(revoked, { input: { mode: 'profile', profile: 'my app' } });
    expect(e.fix).toContain("`sfoauth init --profile 'my app'`");
  });

  it('SFOAUTH_* variables: update the variable, never "re-run init --profile"', () => {
    expect(explainFailure(revoked, env).fix).toMatch(/^Get a new refresh token .* and update the SFOAUTH_REFRESH_TOKEN secret\./);
    const secret = explainFailure(badSecret, env).fix;
    expect(secret).toContain('Copy the Consumer Secret again and update the SFOAUTH_CLIENT_SECRET secret with it.');
    expect(secret).not.toContain('sfoauth init');
    const key = explainFailure(badKey, env).fix;
    expect(key).toContain('update the SFOAUTH_CLIENT_ID secret with it');
    expect(key).toContain('My Domain (SFOAUTH_LOGIN_URL)');
    expect(key).not.toContain('--login-url');
    for (const e of [revoked, badSecret, badKey]) expect(explainFailure(e, env).fix).not.toContain('--profile');
  });

  it('nothing known (sfoauth explain): a placeholder, and the CI variable as an alternative', () => {
    expect(explainFailure(revoked).fix).toContain('`sfoauth init --profile <name>`');
    expect(explainFailure(badSecret).fix).toContain('(in CI, update the SFOAUTH_CLIENT_SECRET secret)');
  });

  it('flags given to the re-run stay inside the command', () => {
    const e = explainFailure({ error: 'INVALID_SESSION_ID', description: 'This session is not valid for use with the REST API', endpoint: 'rest' }, profile);
    expect(e.fix).toContain('`sfoauth init --profile ci-sandbox --scopes "api refresh_token"` for a new refresh token');
  });

  it('every slot in the catalog is filled in every mode', () => {
    for (const ctx of [profile, env, {}]) {
      for (const entry of CATALOG) {
        const text = fillSlots(`${entry.cause} ${entry.fix}`, ctx);
        expect(text, entry.code).not.toMatch(/\{[A-Za-z]+(?::[^{}]*)?\}/);
      }
    }
  });
});

describe('explainFailure: redirect_uri_mismatch', () => {
  it('names the callback URL that was sent, with one fix (register it), not a second contradicting one', () => {
    const e = explainFailure(mismatch, { ...profile, callbackUrl: 'http://localhost:1717/OauthRedirect' });
    expect(e.fix).toMatch(/^Add http:\/\/localhost:1717\/OauthRedirect \(the callback URL sent as redirect_uri\) to the app's Callback URL list/);
    expect(e.fix).not.toContain('--callback-url');
    expect(e.fix).not.toMatch(/; or /);
  });

  it('without the URL, says which one to register rather than guessing', () => {
    expect(explainFailure(mismatch).fix).toContain('the exact callback URL the client sent as redirect_uri');
  });
});

describe('explainFailure: Setup screens follow the app type when it is known', () => {
  it('one app type when known; both, labelled, when not (SFOAUTH_* variables do not say)', () => {
    expect(explainFailure(badSecret, { ...profile, appType: 'connected-app' }).setup.join('\n')).not.toContain('External Client App');
    expect(explainFailure(badSecret, profile).setup.join('\n')).not.toMatch(/Connected App|Manage Consumer Details/);
    const both = explainFailure(badSecret, env).setup.join('\n');
    expect(both).toContain('External Client App: ');
    expect(both).toContain('Connected App: ');
  });
});

describe('inFailureContext', () => {
  it('keeps what a nearer caller knew and adds the rest', async () => {
    const err = new SalesforceError('authorize', 'redirect_uri_mismatch', undefined);
    err.failureContext = { callbackUrl: 'http://localhost:1717/OauthRedirect' };
    await expect(inFailureContext(profile, () => Promise.reject(err))).rejects.toBe(err);
    expect(err.failureContext).toEqual({ ...profile, callbackUrl: 'http://localhost:1717/OauthRedirect' });
  });
});
