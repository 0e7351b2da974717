/**
 * Asks the authorize endpoint, before any browser opens, whether Salesforce knows the app and its
 * callback. Salesforce shows invalid_client_id and redirect_uri_mismatch on its own page instead of
 * redirecting (docs/salesforce.md §3.3), so the callback server would otherwise wait in silence. A known app
 * answers with a redirect (to the login page); nothing is consumed by asking.
 */
import type { HttpClient } from '../http/request.js';
import { parseErrorText } from './parse-error-text.js';

export interface AuthorizeProblem {
  error: string;
  description: string | undefined;
  status: number;
}

/** The errors Salesforce renders on its own page rather than sending to the callback. */
const PAGE_ERRORS = new Set(['invalid_client_id', 'redirect_uri_mismatch', 'redirect_uri_missing']);

/**
 * init's check before the browser opens: Salesforce's own error page for the app or its callback, else
 * undefined (the way on to the login page, or anything init's callback will report itself).
 */
export async function probeAuthorize(http: HttpClient, authorizeUrl: URL): Promise<AuthorizeProblem | undefined> {
  const answer = await askAuthorize(http, authorizeUrl, authorizeUrl.searchParams.get('redirect_uri') ?? '');
  return answer.kind === 'page-error' ? { error: answer.error, description: answer.description, status: answer.status } : undefined;
}

/** What one authorize GET (redirects not followed) says about the app. */
export type AuthorizeAnswer =
  | { kind: 'login' }
  | { kind: 'approved' }
  | { kind: 'page-error'; error: string; description: string | undefined; status: number }
  | { kind: 'redirect-error'; error: string; description: string | undefined }
  | { kind: 'unknown'; status: number };

/**
 * Sends the authorize URL once and reads the answer: Salesforce's own error page, an `?error=` back at
 * the callback, a code at the callback (an approval made at once; the code is never used), or the way
 * on to the login page. The one reading of the authorize answer: init's probe, doctor's authorize check
 * and the PKCE posture check all use it.
 */
export async function askAuthorize(http: HttpClient, url: URL, redirectUri: string): Promise<AuthorizeAnswer> {
  const res = await http.request({ method: 'GET', url, idempotent: true, redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    const target = location ? safeUrl(location, url) : undefined;
    if (target && sameEndpoint(target, redirectUri)) {
      const error = target.searchParams.get('error');
      if (error) return { kind: 'redirect-error', error, description: target.searchParams.get('error_description') ?? undefined };
      if (target.searchParams.has('code')) return { kind: 'approved' };
    }
    return { kind: 'login' };
  }
  const page = parseErrorText(res.text).find((e) => PAGE_ERRORS.has(e.error));
  if (page) return { kind: 'page-error', error: page.error, description: page.description, status: res.status };
  // Newer orgs may answer 200 with an HTML "Authorization Error" page in prose (docs/salesforce.md §3.3).
  if (/client identifier[^<]{0,80}isn.t recognized/i.test(res.text)) {
    return { kind: 'page-error', error: 'invalid_client_id', description: 'client identifier invalid', status: res.status };
  }
  if (res.status === 200) return { kind: 'login' };
  return { kind: 'unknown', status: res.status };
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/** Same scheme, host, port and path: the redirect went back to the callback. */
function sameEndpoint(target: URL, redirectUri: string): boolean {
  const cb = safeUrl(redirectUri, target);
  return cb !== undefined && cb.origin === target.origin && cb.pathname === target.pathname;
}
