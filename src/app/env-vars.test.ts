import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { assertNoEmptySfoauthVars, emptySfoauthVars } from './env-vars.js';

describe('empty SFOAUTH_* variables', () => {
  it('finds set-but-empty (or blank) SFOAUTH_* only', () => {
    expect(emptySfoauthVars({ SFOAUTH_CLIENT_SECRET: '', SFOAUTH_CLIENT_ID: 'x', SFOAUTH_REFRESH_TOKEN: ' \n', HOME: '', SFOAUTH_ENV: undefined })).toEqual([
      'SFOAUTH_CLIENT_SECRET',
      'SFOAUTH_REFRESH_TOKEN',
    ]);
    expect(emptySfoauthVars({})).toEqual([]);
  });

  it('throws a ConfigError (exit 2) naming each variable and what it holds', () => {
    let caught: unknown;
    try {
      assertNoEmptySfoauthVars({ SFOAUTH_CLIENT_SECRET: '' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('SFOAUTH_CLIENT_SECRET is set but empty');
    expect(e.issues).toEqual(["SFOAUTH_CLIENT_SECRET: expected the app's Consumer Secret"]);
    expect(e.hint).toContain('unset SFOAUTH_CLIENT_SECRET');
    expect(() => assertNoEmptySfoauthVars({ SFOAUTH_CLIENT_SECRET: 'x' })).not.toThrow();
  });
});
