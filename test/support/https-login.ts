/**
 * A login against an emulator started with `tls`, without a browser and without trusting its CA
 * process-wide: node:https requests that carry the emulator's CA. The emulator must auto-approve.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:https';

export interface HttpsAnswer {
  status: number;
  location?: string;
  body: string;
}

/** One https request that trusts `ca` (the default CAs when undefined); a form body makes it a POST. */
export function httpsCall(url: string, ca: string | undefined, formBody?: Record<string, string>): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const body = formBody ? new URLSearchParams(formBody).toString() : undefined;
    const req = request(
      url,
      { method: body ? 'POST' : 'GET', ...(ca ? { ca } : {}), timeout: 5000, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Authorize (PKCE) and exchange the code: the token response's fields. */
export async function httpsLogin(
  p: { loginUrl: string; ca: string; clientId: string; clientSecret: string; callbackUrl: string; scope?: string },
): Promise<{ access_token: string; refresh_token: string; instance_url: string; id: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/services/oauth2/authorize', p.loginUrl);
  const params = {
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.callbackUrl,
    scope: p.scope ?? 'api refresh_token',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
  };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const redirect = await httpsCall(authorize.href, p.ca);
  const code = redirect.location ? new URL(redirect.location).searchParams.get('code') : null;
  if (!code) throw new Error(`authorize gave no code (HTTP ${redirect.status}, location ${redirect.location ?? 'none'})`);
  const res = await httpsCall(`${p.loginUrl}/services/oauth2/token`, p.ca, {
    grant_type: 'authorization_code',
    code,
    client_id: p.clientId,
    client_secret: p.clientSecret,
    redirect_uri: p.callbackUrl,
    code_verifier: verifier,
  });
  if (res.status !== 200) throw new Error(`token exchange failed: HTTP ${res.status}`);
  return JSON.parse(res.body) as { access_token: string; refresh_token: string; instance_url: string; id: string };
}
