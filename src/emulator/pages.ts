/**
 * The emulator's HTML: the login form, the Allow/Deny page, the authorize error page and a landing
 * page. Every page says plainly that it is not Salesforce. No scripts; forms post back to /authorize.
 */
import { escapeHtml, urlencode } from './http-util.js';

export const LABEL = 'sfoauth emulator — not Salesforce';

/** Salesforce's wording on a failed login. */
export const LOGIN_FAILED_TEXT =
  "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

const SCOPE_LABELS: Record<string, string> = {
  api: 'Access and manage your data (api)',
  refresh_token: 'Perform requests on your behalf at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests on your behalf at any time (refresh_token, offline_access)',
  id: 'Access your basic information (id, profile, email, address, phone)',
  profile: 'Access your basic information (id, profile, email, address, phone)',
  email: 'Access your basic information (id, profile, email, address, phone)',
  address: 'Access your basic information (id, profile, email, address, phone)',
  phone: 'Access your basic information (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  web: 'Provide access to your data via the Web (web)',
  full: 'Full access (full)',
};

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} | ${LABEL}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f3f3;color:#181818;margin:0}
.banner{background:#5c1f8a;color:#fff;padding:.6rem 1rem;font-weight:600}
main{max-width:28rem;margin:2rem auto;background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1.5rem}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem;cursor:pointer}
.error{color:#b00020}
.note{color:#555;font-size:.9rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:.5rem}
</style>
</head>
<body>
<div class="banner" role="banner">${LABEL}</div>
<main>
${main}
<p class="note">This page is served by the sfoauth emulator, a local test double of Salesforce's OAuth
endpoints. It is not Salesforce: never type real credentials here.</p>
</main>
</body>
</html>
`;
}

function hiddenFields(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
}

export function loginPage(p: {
  action: string;
  params: ReadonlyArray<readonly [string, string]>;
  username: string;
  appName: string;
  failed: boolean;
}): string {
  return layout(
    'Login',
    `<h1>Log in</h1>
<p>to authorize <strong>${escapeHtml(p.appName)}</strong></p>
${p.failed ? `<p class="error" role="alert">${escapeHtml(LOGIN_FAILED_TEXT)}</p>` : ''}
<form method="post" action="${escapeHtml(p.action)}">
${hiddenFields(p.params)}
<input type="hidden" name="sfoauth_step" value="login">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${escapeHtml(p.username)}" autocomplete="username" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" id="Login">Log In</button>
</form>
<p class="note">Use the username and password that <code>sfoauth emulator</code> printed
(the emulator's demo password is <code>emulator-password</code>).</p>`,
  );
}

export function approvePage(p: {
  action: string;
  params: ReadonlyArray<readonly [string, string]>;
  ticket: string;
  appName: string;
  username: string;
  scopes: readonly string[];
}): string {
  const labels = [...new Set(p.scopes.map((s) => SCOPE_LABELS[s] ?? `${s}`))];
  return layout(
    'Allow Access?',
    `<h1>Allow Access?</h1>
<p><strong>${escapeHtml(p.appName)}</strong> is asking to:</p>
<ul>
${labels.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}
</ul>
<p>Logged in as ${escapeHtml(p.username)}.</p>
<form method="post" action="${escapeHtml(p.action)}">
${hiddenFields(p.params)}
<input type="hidden" name="sfoauth_step" value="approve">
<input type="hidden" name="sfoauth_ticket" value="${escapeHtml(p.ticket)}">
<button type="submit" name="decision" value="allow" id="oaapprove">Allow</button>
<button type="submit" name="decision" value="deny" id="oadeny">Deny</button>
</form>`,
  );
}

/**
 * The page shown instead of a redirect when the client cannot be trusted (bad client_id or
 * redirect_uri). The `<pre>` holds Salesforce's exact urlencoded text, unescaped on purpose: it is built
 * from our own constant codes, and users paste it into `sfoauth explain`.
 */
export function authorizeErrorPage(error: string, description: string): string {
  return layout(
    'Authorization Error',
    `<h1>Authorization Error</h1>
<pre id="error">${urlencode({ error, error_description: description })}</pre>
<p>The app was not redirected back because the request could not be trusted.</p>`,
  );
}

export function landingPage(p: { role: 'login' | 'instance'; loginUrl: string; instanceUrl: string; sandbox: boolean }): string {
  const acting = p.role === 'login' ? (p.sandbox ? 'test.salesforce.com' : 'login.salesforce.com') : "the org's My Domain";
  return layout(
    'Emulator',
    `<h1>sfoauth emulator</h1>
<p>This listener acts as <strong>${acting}</strong>.</p>
<ul>
<li>Login URL: <code>${escapeHtml(p.loginUrl)}</code></li>
<li>Instance URL: <code>${escapeHtml(p.instanceUrl)}</code></li>
<li>Discovery: <code>/.well-known/openid-configuration</code></li>
</ul>`,
  );
}

export function serverErrorPage(): string {
  return layout('Error', `<h1>An internal server error has occurred</h1>
<p>An error occurred while processing your request. (The emulator's <code>serverError</code> fault is on.)</p>`);
}

export function notFoundPage(): string {
  return layout('Not Found', '<h1>URL No Longer Exists</h1><p>The emulator has nothing at this address.</p>');
}
