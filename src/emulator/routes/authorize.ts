/**
 * /services/oauth2/authorize (docs/salesforce.md §3). Two classes of error: a request whose client cannot
 * be trusted (unknown or unpropagated client_id, missing or unregistered redirect_uri) gets a rendered
 * 400 page and is never redirected; everything else goes back to the callback with `error`,
 * `error_description` and `state`. Without autoApprove the user logs in and then clicks Allow or Deny;
 * both pages post back here, carrying the original parameters in hidden fields.
 */
import type { EmulatorApp } from '../apps.js';
import { liveApp, type EmulatorContext } from '../context.js';
import { safeEqual, type ChallengeMethod } from '../crypto.js';
import { formOf, htmlReply, redirectReply, type EmuRequest, type Reply } from '../http-util.js';
import { approvePage, authorizeErrorPage, loginPage } from '../pages.js';
import { disallowedScopes, parseScopeParam } from '../scopes.js';
import { TICKET_LIFETIME_MS } from '../store.js';
import type { EmulatorUser } from '../users.js';

const AUTHORIZE_PATH = '/services/oauth2/authorize';

/** The parameters the login and approval pages carry from the first request to the last. */
const CARRIED = [
  'response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method',
  'nonce', 'prompt', 'login_hint', 'display', 'immediate',
] as const;

interface AuthorizeRequest {
  app: EmulatorApp;
  redirectUri: string;
  state?: string;
  scopes: string[];
  challenge?: string;
  method: ChallengeMethod;
  nonce?: string;
  immediate: boolean;
  loginHint?: string;
  carried: Array<readonly [string, string]>;
}

export async function authorize(req: EmuRequest, ctx: EmulatorContext): Promise<Reply> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    return htmlReply(400, authorizeErrorPage('invalid_request', 'must use HTTP GET'));
  }
  const params = req.method === 'POST' ? formOf(req) : req.url.searchParams;
  const checked = checkRequest(params, ctx);
  if ('reply' in checked) return checked.reply;
  const r = checked.request;

  if (ctx.autoApprove) return decide(r, ctx.user, ctx.faults.userDenies ? 'deny' : 'allow', ctx);

  const step = req.method === 'POST' ? params.get('sfoauth_step') : null;
  if (step === 'login') return login(r, params, ctx);
  if (step === 'approve') return approve(r, params, ctx);
  // No browser session exists on the emulator, so `immediate=true` can never skip the login.
  if (r.immediate) return errorRedirect(r, 'immediate_unsuccessful', 'immediate unsuccessful');
  return showLogin(r, r.loginHint ?? ctx.user.username, false);
}

/** Validates the request in Salesforce's order: client, redirect URI, then the rest. */
function checkRequest(params: URLSearchParams, ctx: EmulatorContext): { request: AuthorizeRequest } | { reply: Reply } {
  const app = liveApp(ctx, params.get('client_id'));
  if (!app) return { reply: htmlReply(400, authorizeErrorPage('invalid_client_id', 'client identifier invalid')) };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { reply: htmlReply(400, authorizeErrorPage('redirect_uri_missing', 'redirect_uri not provided')) };
  // Exact, character-for-character match (trailing slash, localhost vs 127.0.0.1, port all count).
  if (!app.callbackUrls.includes(redirectUri)) {
    return { reply: htmlReply(400, authorizeErrorPage('redirect_uri_mismatch', 'redirect_uri must match configuration')) };
  }

  const state = params.get('state') ?? undefined;
  const base = { app, redirectUri, ...(state === undefined ? {} : { state }) };
  const fail = (error: string, description: string) => ({ reply: errorRedirect(base, error, description) });

  if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'response type not supported');

  const challenge = params.get('code_challenge') || undefined;
  if (challenge === undefined && app.requirePkce) return fail('invalid_request', 'missing required code challenge');
  // Salesforce treats a missing method as S256 (JSFORCE and the Salesforce CLI never send one).
  const methodParam = params.get('code_challenge_method') || 'S256';
  if (methodParam !== 'S256' && methodParam !== 'plain') return fail('invalid_request', 'invalid code challenge method');

  const requested = parseScopeParam(params.get('scope'));
  if (requested && disallowedScopes(requested, app.scopes).length > 0) {
    return fail('invalid_scope', 'requested scope is invalid, unknown, or malformed');
  }

  const carried = CARRIED.flatMap((name) => {
    const v = params.get(name);
    return v === null ? [] : [[name, v] as const];
  });
  const nonce = params.get('nonce') || undefined;
  const loginHint = params.get('login_hint') || undefined;
  return {
    request: {
      ...base,
      // No scope asked for means every scope selected on the app.
      scopes: requested ?? [...app.scopes],
      ...(challenge === undefined ? {} : { challenge }),
      method: methodParam,
      ...(nonce === undefined ? {} : { nonce }),
      ...(loginHint === undefined ? {} : { loginHint }),
      immediate: params.get('immediate') === 'true',
      carried,
    },
  };
}

function showLogin(r: AuthorizeRequest, username: string, failed: boolean): Reply {
  return htmlReply(200, loginPage({ action: AUTHORIZE_PATH, params: r.carried, username, appName: r.app.name, failed }));
}

function login(r: AuthorizeRequest, params: URLSearchParams, ctx: EmulatorContext): Reply {
  const username = (params.get('username') ?? '').trim();
  const password = params.get('password') ?? '';
  const user = [...ctx.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
  if (!user || !safeEqual(password, user.password)) return showLogin(r, username, true);
  // Org policies are checked once Salesforce knows who is logging in, before the approval page.
  const refused = orgRefusal(r, ctx);
  if (refused) return refused;
  const ticket = ctx.store.issueTicket({ userId: user.id, fingerprint: fingerprint(r), expiresAt: ctx.now() + TICKET_LIFETIME_MS });
  return htmlReply(
    200,
    approvePage({ action: AUTHORIZE_PATH, params: r.carried, ticket, appName: r.app.name, username: user.username, scopes: r.scopes }),
  );
}

function approve(r: AuthorizeRequest, params: URLSearchParams, ctx: EmulatorContext): Reply {
  const record = ctx.store.takeTicket(params.get('sfoauth_ticket') ?? '', ctx.now());
  const user = record && record.fingerprint === fingerprint(r) ? ctx.users.get(record.userId) : undefined;
  // A stale, reused or tampered approval form starts over at the login page.
  if (!user) return showLogin(r, r.loginHint ?? ctx.user.username, false);
  return decide(r, user, params.get('decision') === 'allow' ? 'allow' : 'deny', ctx);
}

function decide(r: AuthorizeRequest, user: EmulatorUser, decision: 'allow' | 'deny', ctx: EmulatorContext): Reply {
  const refused = orgRefusal(r, ctx);
  if (refused) return refused;
  if (decision === 'deny') return errorRedirect(r, 'access_denied', 'end-user denied authorization');
  const code = ctx.store.issueCode({
    clientId: r.app.clientId,
    redirectUri: r.redirectUri,
    userId: user.id,
    scopes: r.scopes,
    ...(r.challenge === undefined ? {} : { challenge: r.challenge }),
    method: r.method,
    ...(r.nonce === undefined ? {} : { nonce: r.nonce }),
    issuedAt: ctx.now(),
  });
  const url = new URL(r.redirectUri);
  url.searchParams.append('code', code);
  if (r.state !== undefined) url.searchParams.append('state', r.state);
  return redirectReply(url.href);
}

/** The admin-side refusals: an External Client App not installed here, or an app blocked by the admin. */
function orgRefusal(r: AuthorizeRequest, ctx: EmulatorContext): Reply | undefined {
  if (r.app.appType === 'external-client-app' && (!r.app.installed || ctx.faults.ecaNotInstalled)) {
    return errorRedirect(r, 'OAUTH_EC_APP_NOT_FOUND', 'External client app is not installed in this org');
  }
  if (ctx.faults.appBlocked) return errorRedirect(r, 'OAUTH_APP_BLOCKED', 'this app is blocked by admin');
  return undefined;
}

function errorRedirect(r: { redirectUri: string; state?: string }, error: string, description: string): Reply {
  const url = new URL(r.redirectUri);
  url.searchParams.append('error', error);
  url.searchParams.append('error_description', description);
  if (r.state !== undefined) url.searchParams.append('state', r.state);
  return redirectReply(url.href);
}

function fingerprint(r: AuthorizeRequest): string {
  return JSON.stringify(r.carried);
}
