import { describe, it, expect } from 'vitest';
import { explainFailure } from './explain-failure.js';
import {
  CATALOG,
  closestCodes,
  explainError,
  isKnownCode,
  lookupCatalog,
  normalizeDescription,
  setupLines,
} from './error-catalog.js';
import {
  CA_CLIENT_CREDENTIALS,
  CA_JWT_CERTIFICATE,
  CA_PERMITTED_USERS,
  CA_REFRESH_TOKEN_POLICY,
  ECA_CLIENT_CREDENTIALS,
  ECA_JWT_CERTIFICATE,
  ECA_PERMITTED_USERS,
  ECA_REFRESH_TOKEN_POLICY,
} from './setup-screens.js';

/** docs/salesforce.md §5, row by row (code, exact error_description; undefined where the table has none). */
const SECTION_5: [string, string | undefined][] = [
  ['invalid_client_id', 'client identifier invalid'],
  ['invalid_client', 'invalid client credentials'],
  ['redirect_uri_mismatch', 'redirect_uri must match configuration'],
  ['redirect_uri_missing', 'redirect_uri not provided'],
  ['unsupported_response_type', 'response type not supported'],
  ['unsupported_grant_type', 'grant type not supported'],
  ['invalid_request', 'HTTPS required'],
  ['invalid_request', 'must use HTTP POST'],
  ['invalid_request', 'must use HTTP GET'],
  ['invalid_request', 'out-of-band not supported'],
  ['invalid_request', 'missing required code challenge'],
  ['invalid_grant', 'invalid code verifier'],
  ['invalid_grant', undefined], // challenge sent, verifier missing: description unconfirmed
  ['invalid_grant', 'unexpected code verifier'],
  ['invalid_grant', 'expired authorization code'],
  ['invalid_grant', 'invalid authorization code'],
  ['invalid_grant', 'authentication failure'],
  ['invalid_grant', 'expired access/refresh token'],
  ['invalid_grant', 'ip restricted'],
  ['invalid_grant', 'IP restricted or invalid login hours'],
  ['invalid_grant', "user hasn't approved this consumer"],
  ['invalid_grant', 'audience is invalid'],
  ['invalid_grant', 'Audience validation failed'],
  ['invalid_grant', 'request not supported on this domain'],
  ['invalid_grant', 'no client credentials user enabled'],
  ['invalid_grant', 'invalid assertion'],
  ['invalid_grant', 'invalid user credentials'],
  ['inactive_user', 'user is inactive'],
  ['inactive_org', 'organization is locked, closed, or suspended'],
  ['rate_limit_exceeded', 'number of logins exceeded'],
  ['invalid_scope', 'requested scope is invalid, unknown, or malformed'],
  ['access_denied', 'end-user denied authorization'],
  ['immediate_unsuccessful', 'immediate unsuccessful'],
  ['invalid_app_access', 'user is not admin approved to access this app'],
  ['OAUTH_APP_BLOCKED', 'this app is blocked by admin'],
  ['OAUTH_APP_ACCESS_DENIED', 'user is not admin approved to access this app'],
  ['OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org'],
  ['OAUTH_AUTHORIZATION_BLOCKED', undefined],
  ['OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.'],
  ['authorization_pending', undefined],
  ['slow_down', undefined],
  ['unsupported_token_type', 'this token type is not supported'],
  ['invalid_token', undefined],
];

/** REST (§11) and identity (§8.3) errors. */
const REST_AND_IDENTITY: [string, string | undefined][] = [
  ['INVALID_SESSION_ID', 'Session expired or invalid'],
  ['INVALID_SESSION_ID', 'This session is not valid for use with the REST API'],
  ['INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE'],
  ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  ['Bad_OAuth_Token', undefined],
];

/** §5 "Other values the server defines". */
const OTHER_VALUES = `app_blocked app_not_found bad_jti_claim ecapp_policy_not_found fail_close_app_blocked invalid_assertion_type
  invalid_basic_auth_header invalid_dpop_proof use_dpop_nonce invalid_session_level invalid_token login_error oauth_flow_disabled
  oauth_policy_not_found server_error service_unavailable system_down unknown_error unsupported_token_type exceeded_registration_limit
  failed_registration registration_error invalid_otp otp_error invalid_expid unsupported_expid installation_error
  invalid_distribution_state`.split(/\s+/);

describe('the catalog covers docs/salesforce.md', () => {
  it.each([...SECTION_5, ...REST_AND_IDENTITY])('%s / %s', (code, description) => {
    const entry = lookupCatalog(code, description);
    expect(entry, `${code} missing`).toBeDefined();
    expect(entry!.code).toBe(code);
    if (description !== undefined) {
      // The row's own entry, not the code's general fallback.
      expect(entry!.descriptions.map(normalizeDescription)).toContain(normalizeDescription(description));
    }
    expect(explainError({ error: code, description }).known).toBe(true);
  });

  it.each(OTHER_VALUES)('%s is known', (code) => {
    expect(isKnownCode(code)).toBe(true);
  });

  it('every entry is complete and unambiguous', () => {
    const seen = new Set<string>();
    for (const e of CATALOG) {
      expect(e.title && e.cause && e.fix, e.code).toBeTruthy();
      expect(e.where.length, e.code).toBeGreaterThan(0);
      for (const w of e.where) {
        for (const d of e.descriptions.length > 0 ? e.descriptions : ['']) {
          const key = `${e.code.toLowerCase()}|${normalizeDescription(d)}|${w}`;
          expect(seen.has(key), `duplicate ${key}`).toBe(false);
          seen.add(key);
        }
      }
    }
  });

  it('no entry leaks a secret-looking value', () => {
    for (const e of CATALOG) expect(JSON.stringify(e)).not.toMatch(/3MVG9|00D[A-Za-z0-9]{12}!|[A-F0-9]{64}/);
  });
});

describe('required content', () => {
  it('invalid_client_id: propagation, key, host, special characters', () => {
    const e = explainError({ error: 'invalid_client_id', description: 'client identifier invalid' });
    const text = `${e.cause} ${e.fix}`;
    expect(text).toContain('10 minutes');
    expect(e.fix).toContain('`sfoauth init --wait 10`');
    expect(text).toContain('Consumer Key');
    expect(text).toMatch(/sandbox fails on login\.salesforce\.com/);
    expect(text).toContain('special characters');
    expect(e.setup).toContain('Consumer Key and Secret');
    expect(e.setup).toContain('Manage Consumer Details');
  });

  it('expired access/refresh token: every likely cause and the re-run', () => {
    const e = explainError({ error: 'invalid_grant', description: 'expired access/refresh token' });
    expect(e.cause).toContain('revoked');
    expect(e.cause).toContain('"Refresh token is valid until revoked"');
    expect(e.cause).toContain('more than 5 times');
    expect(e.cause).toMatch(/rotation .* reused/);
    expect(e.cause).toContain('refresh_token, offline_access');
    expect(explainFailure({ error: 'invalid_grant', description: 'expired access/refresh token' }).fix).toContain('sfoauth init --profile <name>');
    expect(e.setup).toContain(ECA_REFRESH_TOKEN_POLICY);
    expect(e.setup).toContain(CA_REFRESH_TOKEN_POLICY);
  });

  it('REST: the missing api scope is told apart from an expired session', () => {
    const scope = explainError({ error: 'INVALID_SESSION_ID', description: 'This session is not valid for use with the REST API' });
    const expired = explainError({ error: 'INVALID_SESSION_ID', description: 'Session expired or invalid' });
    expect(scope.title).toContain('`api` scope');
    expect(scope.setup).toContain('Selected OAuth Scopes');
    expect(expired.title).toContain('expired');
  });
});

describe('server-to-server flows (docs/flows.md)', () => {
  const explain = (error: string, description: string) => explainError({ error, description, endpoint: 'token' });

  it('client credentials: the My Domain host and the Run As user, with Setup paths for both app types', () => {
    const domain = explain('invalid_grant', 'request not supported on this domain');
    expect(domain.known).toBe(true);
    expect(`${domain.cause} ${domain.fix}`).toMatch(/My Domain/);
    expect(domain.fix).toContain('.my.salesforce.com');
    const runAs = explain('invalid_grant', 'no client credentials user enabled');
    expect(runAs.title).toContain('Run As');
    expect(runAs.fix).toContain('API Only');
    expect(runAs.setup).toContain(ECA_CLIENT_CREDENTIALS);
    expect(runAs.setup).toContain(CA_CLIENT_CREDENTIALS);
  });

  it('JWT bearer: approval, audience, admin approval and the assertion itself', () => {
    const approval = explain('invalid_grant', "user hasn't approved this consumer");
    expect(approval.fix).toContain('Admin approved users are pre-authorized');
    expect(approval.cause).toContain('sandbox username');
    expect(approval.setup).toContain(ECA_PERMITTED_USERS);
    expect(approval.setup).toContain(CA_PERMITTED_USERS);

    const audience = explain('invalid_grant', 'audience is invalid');
    expect(audience.fix).toContain('https://login.salesforce.com');
    expect(audience.fix).toContain('https://test.salesforce.com');

    const admin = explain('invalid_app_access', 'user is not admin approved to access this app');
    expect(admin.title).not.toBe(explain('invalid_grant', 'something new').title);
    expect(admin.fix).toMatch(/profile or a permission set/);
    expect(admin.setup).toContain(ECA_PERMITTED_USERS);

    const assertion = explain('invalid_grant', 'invalid assertion');
    expect(assertion.title).toContain('JWT assertion');
    expect(assertion.fix).toContain('RS256');
    expect(assertion.setup).toBe(`External Client App: ${ECA_JWT_CERTIFICATE}; Connected App: ${CA_JWT_CERTIFICATE}`);
    // A stale assertion shares the stale code's text, and that entry says so.
    expect(explain('invalid_grant', 'expired authorization code').cause).toContain('JWT bearer assertion past its exp');
  });
});

describe('matching', () => {
  it('matches codes case-insensitively and keeps Salesforce\'s case', () => {
    expect(explainError({ error: 'INVALID_CLIENT_ID' }).code).toBe('invalid_client_id');
    expect(explainError({ error: 'oauth_app_blocked' }).code).toBe('OAUTH_APP_BLOCKED');
    expect(explainError({ error: 'bad_oauth_token' }).code).toBe('Bad_OAuth_Token');
    expect(explainError({ error: 'access-denied' }).code).toBe('access_denied');
  });

  it('matches descriptions regardless of case, spacing and a final full stop', () => {
    const a = lookupCatalog('Invalid_Grant', '  EXPIRED   ACCESS/REFRESH TOKEN. ');
    expect(a?.descriptions).toContain('expired access/refresh token');
    const b = lookupCatalog('invalid_grant', 'user hasn’t approved this consumer');
    expect(b?.descriptions).toContain("user hasn't approved this consumer");
    expect(lookupCatalog('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded')?.code).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('matches a longer Salesforce text that contains a known one', () => {
    const e = lookupCatalog(
      'INVALID_SESSION_ID',
      'This session is not valid for use with the specified REST API endpoint. One of the following scopes is required: cdp_query_api',
    );
    expect(e?.title).toContain('lacks a scope');
  });

  it('falls back to the code\'s general entry for an unknown description', () => {
    const general = explainError({ error: 'invalid_grant', description: 'something Salesforce says tomorrow' });
    expect(general.known).toBe(true);
    expect(general.title).toBe('Salesforce refused the grant');
    expect(general.description).toBe('something Salesforce says tomorrow');
    expect(explainError({ error: 'INVALID_SESSION_ID', description: 'new text' }).title).toContain('expired');
  });

  it('uses the endpoint to choose between entries that share a description', () => {
    const page = explainError({ error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', endpoint: 'authorize' });
    const token = explainError({ error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', endpoint: 'token' });
    expect(page.title).toContain('not registered');
    expect(token.title).toContain('different redirect_uri');
    expect(explainError({ error: 'redirect_uri_mismatch' }).title).toBe(page.title);
  });

  it('explains an unknown code generically, with doctor as the next step', () => {
    const e = explainError({ error: 'totally_new_error', description: 'who knows' });
    expect(e).toMatchObject({ code: 'totally_new_error', description: 'who knows', known: false });
    expect(e.cause).toContain('"totally_new_error"');
    expect(e.fix).toContain('sfoauth doctor');
    expect(e.setup).toBeUndefined();
    expect(lookupCatalog('totally_new_error')).toBeUndefined();
    expect(explainError({ error: 'x_y', status: 503 }).cause).toContain("Salesforce's side");
  });
});

describe('setup screens', () => {
  it('shows both app types unless one is asked for', () => {
    const both = explainError({ error: 'invalid_grant', description: 'expired access/refresh token' });
    expect(both.setup).toBe(`External Client App: ${ECA_REFRESH_TOKEN_POLICY}; Connected App: ${CA_REFRESH_TOKEN_POLICY}`);
    const eca = explainError({ error: 'invalid_grant', description: 'expired access/refresh token', appType: 'external-client-app' });
    expect(eca.setup).toBe(ECA_REFRESH_TOKEN_POLICY);
    const ca = explainError({ error: 'invalid_grant', description: 'expired access/refresh token', appType: 'connected-app' });
    expect(ca.setup).toBe(CA_REFRESH_TOKEN_POLICY);
  });

  it('prints an org-wide screen once, and an ECA-only screen even for a Connected App', () => {
    expect(setupLines(lookupCatalog('invalid_grant', 'request not supported on this domain')?.setup)).toEqual([
      'Setup → Quick Find "My Domain"',
    ]);
    expect(setupLines(lookupCatalog('OAUTH_EC_APP_NOT_FOUND')?.setup, 'connected-app')).toEqual([
      'External Client App: Setup → Quick Find "External Client App Manager"',
    ]);
  });
});

describe('closestCodes', () => {
  it('finds near-miss codes first', () => {
    expect(closestCodes('invalid_client_idd')[0]).toBe('invalid_client_id');
    expect(closestCodes('INVALID-GRANT')[0]).toBe('invalid_grant');
    expect(closestCodes('oauth_app_block')[0]).toBe('OAUTH_APP_BLOCKED');
  });

  it('searches descriptions too', () => {
    expect(closestCodes('blocked by admin')).toContain('OAUTH_APP_BLOCKED');
    expect(closestCodes('code verifier')).toContain('invalid_grant');
  });

  it('returns n distinct codes', () => {
    const list = closestCodes('invalid', 5);
    expect(list).toHaveLength(5);
    expect(new Set(list.map((c) => c.toLowerCase())).size).toBe(5);
    expect(closestCodes('invalid')).toHaveLength(3);
    expect(closestCodes('')).toEqual([]);
  });
});
