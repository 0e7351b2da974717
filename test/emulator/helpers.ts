/** Shared plumbing for the emulator integration tests: plain fetch, no redirects followed. */
import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorApp, RunningEmulator } from '../../src/emulator/index.js';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, params: Record<string, string | undefined>): string {
  const url = new URL('/services/oauth2/authorize', base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers });
}

export async function postForm(url: string, form: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  return fetch(url, { method: 'POST', body, redirect: 'manual', headers });
}

export async function postJson(url: string, value: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
}

/** The callback URL the emulator redirected to, parsed. */
export function location(res: Response): URL {
  const loc = res.headers.get('location');
  if (res.status !== 302 || !loc) throw new Error(`expected a 302 redirect, got ${res.status}`);
  return new URL(loc);
}

/** Runs /authorize on an autoApprove emulator and returns the code and the PKCE verifier. */
export async function authorizeCode(
  emu: RunningEmulator,
  app: EmulatorApp = first(emu.apps),
  extra: Record<string, string | undefined> = {},
): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const { verifier, challenge } = pkcePair();
  const redirectUri = extra.redirect_uri ?? first(app.callbackUrls);
  const res = await get(
    authorizeUrl(emu.loginUrl, {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: redirectUri,
      state: 'st',
      code_challenge: challenge,
      ...extra,
    }),
  );
  const code = location(res).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.headers.get('location') ?? ''}`);
  return { code, verifier, redirectUri };
}

export interface TokenBody {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  id_token?: string;
  instance_url: string;
  id: string;
  token_type: string;
  issued_at: string;
  api_instance_url: string;
}

/** The full authorization-code flow; returns the token response body. */
export async function login(emu: RunningEmulator, app: EmulatorApp = first(emu.apps), extra: Record<string, string> = {}): Promise<TokenBody> {
  const { code, verifier, redirectUri } = await authorizeCode(emu, app, extra);
  const res = await postForm(`${emu.loginUrl}/services/oauth2/token`, {
    grant_type: 'authorization_code',
    code,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenBody;
}

export async function refresh(emu: RunningEmulator, app: EmulatorApp, refreshToken: string): Promise<Response> {
  return postForm(`${emu.loginUrl}/services/oauth2/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
}

export function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

/** A settable clock for expiry tests. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Every `<input type="hidden">` of an HTML form, plus named text fields, as a browser would send them. */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[decodeEntities(m[1] ?? '')] = decodeEntities(m[2] ?? '');
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}
