/**
 * The small HTTP vocabulary the routes share: a parsed request, a reply value (routes return data;
 * server.ts writes it), and the body formats Salesforce uses: JSON errors on /token, urlencoded errors
 * on /revoke, JSON arrays on REST, plain text on the identity URL.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Which listener got the request: the generic login host, or the org's My Domain (instance). */
export type HostRole = 'login' | 'instance';

export interface EmuRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Raw body text ('' for none). */
  body: string;
  /** The body's bytes, for binary bodies (the multipart deploy zip). */
  rawBody?: Buffer;
  role: HostRole;
  /** Origin of the listener that received the request, e.g. http://127.0.0.1:53211. */
  origin: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers Salesforce puts on OAuth JSON answers (seen on real /token responses). */
const OAUTH_JSON_HEADERS = {
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
};

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...OAUTH_JSON_HEADERS, ...headers }, body: JSON.stringify(value) };
}

/** `{"error","error_description"}`, status 400 unless told otherwise (docs/salesforce.md §5). */
export function oauthError(error: string, description: string, status = 400): Reply {
  return jsonReply(status, { error, error_description: description });
}

export function textReply(status: number, body: string, contentType = 'text/plain;charset=UTF-8'): Reply {
  return { status, headers: { 'content-type': contentType }, body };
}

/** Pages: no scripts, no framing. (No form-action: browsers would block the redirect to the callback.) */
export function htmlReply(status: number, body: string): Reply {
  return {
    status,
    headers: {
      'content-type': 'text/html;charset=UTF-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
    body,
  };
}

export function redirectReply(location: string): Reply {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

/** Salesforce-style form encoding: spaces as %20 (as in `client%20identifier%20invalid`). */
export function urlencode(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

function contentType(req: EmuRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The form body, when the request is a form POST; empty otherwise (so a JSON body finds no grant_type). */
export function formOf(req: EmuRequest): URLSearchParams {
  if (req.method !== 'POST' || contentType(req) !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(req.body);
}

export function isJsonRequest(req: EmuRequest): boolean {
  return contentType(req) === 'application/json';
}

/** Client id and secret from `Authorization: Basic` (RFC 6749 §2.3.1: each part form-encoded). */
export function basicCredentials(req: EmuRequest): { clientId: string; clientSecret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const part = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
}

/** Client credentials from the body, or else the Basic header. */
export function clientAuth(req: EmuRequest, form: URLSearchParams): { clientId?: string; clientSecret?: string } {
  const bodyId = form.get('client_id');
  if (bodyId !== null) {
    const secret = form.get('client_secret');
    return secret === null ? { clientId: bodyId } : { clientId: bodyId, clientSecret: secret };
  }
  return basicCredentials(req) ?? {};
}

/**
 * A bearer token from `Authorization: Bearer|OAuth <token>`, else an `oauth_token` parameter from
 * `params` (the identity endpoints accept query and form; REST takes the header only). `malformed` is
 * set when an Authorization header uses another scheme.
 */
export function bearerToken(req: EmuRequest, params: readonly URLSearchParams[] = []): { token?: string; malformed: boolean } {
  const header = req.headers.authorization;
  if (header !== undefined && header.trim() !== '') {
    const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
    return m?.[1] ? { token: m[1], malformed: false } : { malformed: true };
  }
  for (const p of params) {
    const t = p.get('oauth_token');
    if (t) return { token: t, malformed: false };
  }
  return { malformed: false };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
