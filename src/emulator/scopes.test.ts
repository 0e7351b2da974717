import { describe, expect, it } from 'vitest';
import { allowsRestApi, clientCredentialsScopes, disallowedScopes, grantsRefreshToken, parseScopeParam } from './scopes.js';

describe('scopes', () => {
  it('parses the space-separated parameter', () => {
    expect(parseScopeParam('api  refresh_token api')).toEqual(['api', 'refresh_token']);
    expect(parseScopeParam('  ')).toBeUndefined();
    expect(parseScopeParam(null)).toBeUndefined();
  });

  it('expands the app\'s grouped choices', () => {
    expect(disallowedScopes(['offline_access', 'email'], ['refresh_token', 'id'])).toEqual([]);
    expect(disallowedScopes(['api', 'web'], ['api'])).toEqual(['web']);
    expect(disallowedScopes(['api', 'web'], ['full'])).toEqual([]);
    expect(disallowedScopes(['refresh_token'], ['full'])).toEqual(['refresh_token']);
  });

  it('knows which grants carry a refresh token and the REST API', () => {
    expect(grantsRefreshToken(['api', 'offline_access'])).toBe(true);
    expect(grantsRefreshToken(['api'])).toBe(false);
    expect(allowsRestApi(['full'])).toBe(true);
    expect(allowsRestApi(['id', 'openid'])).toBe(false);
    expect(clientCredentialsScopes(['api', 'refresh_token', 'offline_access', 'web', 'full', 'id'])).toEqual(['api', 'id']);
  });
});
