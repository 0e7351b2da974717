import { describe, expect, it } from 'vitest';
import { fakeDoctorContext, scriptedHttp } from '../../../../test/doctor/harness.js';
import { appCredentialsCheck, PROBE_REFRESH_TOKEN } from './app-credentials.js';
import { webServer } from '../../../../test/support/web-server-profile.js';

const oauthError = (error: string, description: string) => ({
  status: 400,
  body: JSON.stringify({ error, error_description: description }),
  headers: { 'content-type': 'application/json' },
});

function ctxAnswering(reply: ReturnType<typeof oauthError> | { status: number; body: string }, secret = true) {
  const http = scriptedHttp(() => reply);
  const base = fakeDoctorContext({ http });
  const profile = { ...base.profile! };
  if (!secret) delete profile.clientSecret;
  return { http, ctx: { ...base, profile } };
}

describe('app credentials probe', () => {
  it('sends the made-up refresh token, never the saved one, once', async () => {
    const { http, ctx } = ctxAnswering(oauthError('invalid_grant', 'expired access/refresh token'));
    const o = await appCredentialsCheck.run(ctx);
    expect(o).toMatchObject({ status: 'pass' });
    expect(o.summary).toContain('accepts the Consumer Key and Secret');
    expect(http.requests).toHaveLength(1);
    const req = http.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', url: 'https://login.salesforce.com/services/oauth2/token', idempotent: false });
    expect(req.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: PROBE_REFRESH_TOKEN, client_id: ctx.profile.clientId });
    expect(JSON.stringify(req)).not.toContain(webServer(ctx.profile).refreshToken!);
  });

  it('invalid_client_id: unknown key or not propagated, with the catalog cause', async () => {
    const o = await appCredentialsCheck.run(ctxAnswering(oauthError('invalid_client_id', 'client identifier invalid')).ctx);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('does not know this Consumer Key');
    expect(o.fix).toContain('wait');
    expect(o.detail?.join('\n')).toContain('special characters');
  });

  it('invalid_client with a secret: the secret is wrong', async () => {
    const o = await appCredentialsCheck.run(ctxAnswering(oauthError('invalid_client', 'invalid client credentials')).ctx);
    expect(o.summary).toContain('rejects the Consumer Secret');
    expect(o.fix).toContain('copy the Consumer Secret again');
  });

  it('invalid_client without a secret: one is required', async () => {
    const o = await appCredentialsCheck.run(ctxAnswering(oauthError('invalid_client', 'invalid client credentials'), false).ctx);
    expect(o.summary).toContain('requires a Consumer Secret and none is stored');
    expect(o.fix).toContain('Require secret for Refresh Token Flow');
  });

  it('another error is explained from the catalog', async () => {
    const o = await appCredentialsCheck.run(ctxAnswering(oauthError('unsupported_grant_type', 'grant type not supported')).ctx);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('unsupported_grant_type (grant type not supported)');
    expect(o.detail?.[0]).toMatch(/^Cause: /);
  });

  it('a host that issues tokens for anything is not Salesforce', async () => {
    const body = JSON.stringify({ access_token: 'x', instance_url: 'https://a.my.salesforce.com', id: 'https://login.salesforce.com/id/00D/005' });
    const o = await appCredentialsCheck.run(ctxAnswering({ status: 200, body }).ctx);
    expect(o.status).toBe('warn');
  });
});
