import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import {
  DEFAULT_SCOPES,
  hasRefreshScope,
  isKnownScope,
  KNOWN_SCOPES,
  parseScopes,
  SCOPE_LABEL_ALTERNATES,
  SCOPE_LABELS,
  scopeLabel,
  setupLabelsFor,
} from './scopes.js';

describe('parseScopes', () => {
  it.each<[string | string[], string[]]>([
    ['api refresh_token', ['api', 'refresh_token']],
    ['api,refresh_token', ['api', 'refresh_token']],
    ['  api ,  refresh_token\n', ['api', 'refresh_token']],
    ['api refresh_token api', ['api', 'refresh_token']],
    ['API Refresh_Token', ['api', 'refresh_token']],
    [['api', 'refresh_token offline_access'], ['api', 'refresh_token', 'offline_access']],
    [['api,id', 'api'], ['api', 'id']],
    ['openid profile email address phone', ['openid', 'profile', 'email', 'address', 'phone']],
    ['cdp_query_api cdp_segment_api cdp_calculated_insight_api', ['cdp_query_api', 'cdp_segment_api', 'cdp_calculated_insight_api']],
    ['full web visualforce', ['full', 'web', 'visualforce']],
    ['data_cloud_user_claims mcp_api sfap_api', ['data_cloud_user_claims', 'mcp_api', 'sfap_api']],
  ])('%j → %j', (input, scopes) => {
    expect(parseScopes(input)).toEqual(scopes);
  });

  it('accepts every name in KNOWN_SCOPES', () => {
    expect(parseScopes(KNOWN_SCOPES.join(' '))).toEqual(KNOWN_SCOPES);
  });

  it.each([
    ['refresh', /"refresh" \(did you mean refresh_token\?\)/],
    ['api refreshtoken', /"refreshtoken" \(did you mean refresh_token\?\)/],
    ['apii', /did you mean api/],
    ['offline', /did you mean offline_access/],
    ['chatter', /did you mean chatter_api/],
    ['read write', /Unknown Salesforce scopes: "read", "write"/],
    ['cdp', /Unknown Salesforce scope: "cdp"/],
  ])('refuses %j, naming close matches', (input, message) => {
    let thrown: unknown;
    try {
      parseScopes(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const e = thrown as UsageError;
    expect(e.message).toMatch(message);
    expect(e.hint).toContain('refresh_token');
  });

  it.each(['', '  ', ',,', []])('refuses no scopes at all (%j)', (input) => {
    expect(() => parseScopes(input)).toThrow(UsageError);
  });
});

describe('isKnownScope', () => {
  it.each([
    ['api', true],
    ['cdp_ingest_api', true],
    ['cdp_', false],
    ['Api', false],
    ['custom_scope', false],
  ])('%s → %s', (scope, known) => {
    expect(isKnownScope(scope)).toBe(known);
  });
});

describe('DEFAULT_SCOPES', () => {
  it('is api and refresh_token, and cannot be changed', () => {
    expect(DEFAULT_SCOPES).toEqual(['api', 'refresh_token']);
    expect(Object.isFrozen(DEFAULT_SCOPES)).toBe(true);
  });
});

describe('scope labels', () => {
  it.each([
    ['api', 'Access and manage your data (api)'],
    ['refresh_token', 'Perform requests on your behalf at any time (refresh_token, offline_access)'],
    ['offline_access', 'Perform requests on your behalf at any time (refresh_token, offline_access)'],
    ['id', 'Access the identity URL service (id, profile, email, address, phone)'],
    ['email', 'Access the identity URL service (id, profile, email, address, phone)'],
    ['openid', 'Access unique user identifiers (openid)'],
    ['chatter_api', 'Access Connect REST API resources (chatter_api)'],
    ['web', 'web'],
    ['full', 'full'],
    ['cdp_segment_api', 'cdp_segment_api'],
    ['toString', 'toString'],
  ])('%s → %s', (scope, label) => {
    expect(scopeLabel(scope)).toBe(label);
  });

  it('has a label only for known scopes, each naming its scope', () => {
    for (const [scope, label] of Object.entries(SCOPE_LABELS)) {
      expect(isKnownScope(scope)).toBe(true);
      expect(label).toContain(scope);
    }
    expect(SCOPE_LABEL_ALTERNATES.api).toBe('Manage user data via APIs (api)');
  });

  it.each([
    [['api', 'refresh_token'], ['Access and manage your data (api)', 'Perform requests on your behalf at any time (refresh_token, offline_access)']],
    [['refresh_token', 'offline_access', 'api'], ['Perform requests on your behalf at any time (refresh_token, offline_access)', 'Access and manage your data (api)']],
    [['id', 'profile', 'web'], ['Access the identity URL service (id, profile, email, address, phone)', 'web']],
    [[], []],
  ])('setupLabelsFor(%j)', (scopes, labels) => {
    expect(setupLabelsFor(scopes)).toEqual(labels);
  });
});

describe('hasRefreshScope', () => {
  it.each([
    [['api', 'refresh_token'], true],
    [['offline_access'], true],
    [['api'], false],
    [['full'], false],
    [[], false],
  ])('%j → %s', (scopes, expected) => {
    expect(hasRefreshScope(scopes)).toBe(expected);
  });
});
