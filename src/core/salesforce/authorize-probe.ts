/**
 * Asks the authorize endpoint, before any browser opens, whether Salesforce knows the app and its
 * callback. Salesforce shows invalid_client_id and redirect_uri_mismatch on its own page instead of
 * redirecting (SALESFORCE.md §3.3), so the callback server would otherwise wait in silence. A known app
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

export async function probeAuthorize(http: HttpClient, authorizeUrl: URL): Promise<AuthorizeProblem | undefined> {
  const res = await http.request({ method: 'GET', url: authorizeUrl, idempotent: true, redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) return undefined;
  const found = parseErrorText(res.text).find((e) => PAGE_ERRORS.has(e.error));
  if (found) return { error: found.error, description: found.description, status: res.status };
  // Newer orgs may answer 200 with an HTML "Authorization Error" page in prose (SALESFORCE.md §3.3).
  if (/client identifier[^<]{0,80}isn.t recognized/i.test(res.text)) {
    return { error: 'invalid_client_id', description: 'client identifier invalid', status: res.status };
  }
  return undefined;
}
