import { describe, expect, it } from 'vitest';
import { setInputFix } from './context.js';

describe('setInputFix', () => {
  it('names the SFOAUTH_* variable in env-var mode and init with its flag for a profile', () => {
    expect(setInputFix({ source: 'env', profileName: 'env' }, 'env', 'sandbox')).toBe('set SFOAUTH_ENV=sandbox');
    expect(setInputFix({ source: 'env', profileName: 'env' }, 'loginUrl', 'https://test.salesforce.com')).toBe('set SFOAUTH_LOGIN_URL=https://test.salesforce.com');
    expect(setInputFix({ source: 'profile', profileName: 'ci' }, 'env', 'production')).toBe('run `sfoauth init --profile ci --env production`');
    expect(setInputFix({ source: 'profile', profileName: 'ci' }, 'loginUrl', 'https://acme.my.salesforce.com')).toBe(
      'run `sfoauth init --profile ci --login-url https://acme.my.salesforce.com`',
    );
  });
});
