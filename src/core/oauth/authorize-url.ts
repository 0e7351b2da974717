/**
 * The browser half of the web server flow: GET {loginUrl}/services/oauth2/authorize (docs/salesforce.md §3.1).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */

export interface AuthorizeUrlParams {
  /** https://login.salesforce.com, a My Domain, or the emulator's loopback URL (see parseLoginUrl). */
  loginUrl: string | URL;
  clientId: string;
  redirectUri: string;
  /** Space-joined on the URL. Empty means "every scope on the app" (Salesforce's default). */
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
  /** Defaults to DEFAULT_PROMPT; '' sends no prompt at all. */
  prompt?: string;
  /** Pre-fills the username on Salesforce's login page. */
  loginHint?: string;
}

/**
 * `consent`: the user is checking a freshly registered app, so always show the approval screen (the
 * scopes it lists are part of what is being verified) rather than silently reusing an old approval.
 * It is also what Nango's `salesforce` integration sends. `login` is left out: an existing browser
 * session in the right org is fine, and --login-hint or `prompt` can still ask for it.
 */
export const DEFAULT_PROMPT = 'consent';

export const AUTHORIZE_PATH = '/services/oauth2/authorize';

export function buildAuthorizeUrl(p: AuthorizeUrlParams): URL {
  for (const [name, value] of [
    ['clientId', p.clientId],
    ['redirectUri', p.redirectUri],
    ['state', p.state],
    ['codeChallenge', p.codeChallenge],
  ] as const) {
    // Callers validate user input first; an empty value here is a bug, and would weaken the flow.
    if (value === '') throw new TypeError(`buildAuthorizeUrl: ${name} is empty`);
  }
  const base = new URL(p.loginUrl);
  const url = new URL(base.origin + base.pathname.replace(/\/+$/, '') + AUTHORIZE_PATH);
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
  });
  if (p.scopes.length > 0) params.set('scope', p.scopes.join(' '));
  params.set('state', p.state);
  params.set('code_challenge', p.codeChallenge);
  // Salesforce assumes S256 when this is missing, but RFC 7636 says `plain`: say it explicitly.
  params.set('code_challenge_method', 'S256');
  const prompt = p.prompt ?? DEFAULT_PROMPT;
  if (prompt !== '') params.set('prompt', prompt);
  if (p.loginHint !== undefined && p.loginHint !== '') params.set('login_hint', p.loginHint);
  // URLSearchParams writes spaces as '+'; %20 is the unambiguous form (a literal '+' is already %2B).
  url.search = params.toString().replace(/\+/g, '%20');
  return url;
}
