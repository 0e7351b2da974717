/** loginHostProblems() words its advice for how the values were given: flags, or SFOAUTH_* variables. */
import { describe, expect, it } from 'vitest';
import { ENV_VAR_NAMES, loginHostProblems } from './hosts.js';

describe('loginHostProblems in the input\'s own terms', () => {
  it('flags by default', () => {
    expect(loginHostProblems('https://login.salesforce.com', 'sandbox')[0]).toContain('use --login-url https://test.salesforce.com, or --env production');
  });

  it('SFOAUTH_* variables in env-var mode: no flag that `sfoauth test` lacks', () => {
    const cases = [
      loginHostProblems('https://login.salesforce.com', 'sandbox', ENV_VAR_NAMES)[0]!,
      loginHostProblems('https://test.salesforce.com', 'production', ENV_VAR_NAMES)[0]!,
      loginHostProblems('https://acme--dev.sandbox.my.salesforce.com', 'production', ENV_VAR_NAMES)[0]!,
      loginHostProblems('https://acme-dev-ed.develop.my.salesforce.com', 'sandbox', ENV_VAR_NAMES)[0]!,
    ];
    expect(cases[0]).toContain('use SFOAUTH_LOGIN_URL=https://test.salesforce.com, or SFOAUTH_ENV=production');
    expect(cases[1]).toContain('use SFOAUTH_LOGIN_URL=https://login.salesforce.com, or SFOAUTH_ENV=sandbox');
    expect(cases[2]).toContain('use SFOAUTH_ENV=sandbox');
    expect(cases[3]).toContain('use SFOAUTH_ENV=production');
    for (const text of cases) expect(text).not.toMatch(/--(env|login-url)\b/);
  });
});
