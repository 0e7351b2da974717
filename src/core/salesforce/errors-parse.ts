/**
 * Salesforce answers errors in five shapes (docs/salesforce.md §5, §8, §11): OAuth JSON
 * `{"error","error_description"}` (token, introspect), an urlencoded `error=…&error_description=…`
 * (revoke), a REST JSON array `[{"message","errorCode"}]`, a bare word such as `Bad_OAuth_Token`
 * (identity URL, userinfo), and HTML when the host is not a Salesforce API host at all. This module
 * reads the shape and builds the error: SalesforceError when Salesforce said no, BadResponseError
 * when whatever answered is not speaking Salesforce.
 */
import { BadResponseError, SalesforceError, type SalesforceEndpoint } from '../../errors.js';
import type { HttpResponse } from '../http/request.js';
import { redactTokenLikeText, redactUrl } from '../http/redact.js';
import { hostOf } from '../http/url.js';

export type ErrorBody =
  /** OAuth error: JSON object or urlencoded form. */
  | { kind: 'oauth'; error: string; description?: string }
  /** REST API error (first entry of the array). */
  | { kind: 'rest'; errorCode: string; message?: string }
  /** A single word such as `Bad_OAuth_Token` or `Bad_Id`. */
  | { kind: 'plain'; code: string }
  | { kind: 'html'; title?: string }
  | { kind: 'empty' }
  | { kind: 'unrecognised' };

/** Reads any Salesforce error body. Never throws. */
export function parseErrorBody(text: string, contentType?: string | null): ErrorBody {
  const body = text.trim();
  if (body === '') return { kind: 'empty' };
  const type = (contentType ?? '').toLowerCase();
  if (body.startsWith('<') || type.includes('text/html')) return { kind: 'html', ...htmlTitle(body) };
  if (body.startsWith('{') || body.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'unrecognised' };
    }
    return fromJson(json);
  }
  if (type.includes('application/x-www-form-urlencoded') || /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(body)) {
    const params = new URLSearchParams(body);
    const error = params.get('error');
    if (error) return oauth(error, params.get('error_description') ?? undefined);
  }
  if (/^[A-Za-z][A-Za-z0-9_]{2,63}$/.test(body)) return { kind: 'plain', code: body };
  return { kind: 'unrecognised' };
}

function oauth(error: string, description: string | undefined): ErrorBody {
  return description ? { kind: 'oauth', error, description } : { kind: 'oauth', error };
}

function fromJson(json: unknown): ErrorBody {
  const first = Array.isArray(json) ? (json[0] as unknown) : json;
  if (first === null || typeof first !== 'object') return { kind: 'unrecognised' };
  const o = first as Record<string, unknown>;
  if (typeof o.errorCode === 'string' && o.errorCode !== '') {
    return typeof o.message === 'string' ? { kind: 'rest', errorCode: o.errorCode, message: o.message } : { kind: 'rest', errorCode: o.errorCode };
  }
  if (typeof o.error === 'string' && o.error !== '') {
    return oauth(o.error, typeof o.error_description === 'string' && o.error_description !== '' ? o.error_description : undefined);
  }
  return { kind: 'unrecognised' };
}

function htmlTitle(html: string): { title?: string } {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
  const title = m?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? { title: redactTokenLikeText(title).slice(0, 80) } : {};
}

/** Which kind of host an endpoint lives on, for "this does not look like…" messages. */
function expectedHost(endpoint: SalesforceEndpoint): string {
  switch (endpoint) {
    case 'authorize':
    case 'token':
      return 'a Salesforce login host (login.salesforce.com, test.salesforce.com or a My Domain such as https://<name>.my.salesforce.com)';
    case 'identity':
      return 'a Salesforce identity URL (the `id` from the token response)';
    case 'revoke':
    case 'introspect':
    case 'userinfo':
    case 'rest':
      return "a Salesforce org host (the token response's instance_url, a My Domain)";
  }
}

/**
 * The error for a non-success response from `endpoint`. `requestedUrl` is the URL sfoauth asked for
 * (the response URL can differ after redirects); messages name its host, never the body.
 */
export function errorFromResponse(res: HttpResponse, endpoint: SalesforceEndpoint, requestedUrl?: string | URL): SalesforceError | BadResponseError {
  const status = res.status;
  const host = hostOf(requestedUrl ?? res.url);
  if (status >= 300 && status < 400) {
    const location = res.headers.get('location');
    return new BadResponseError(
      `${host} answered ${status} with a redirect${location ? ` to ${redactUrl(location)}` : ''} instead of answering; it does not look like ${expectedHost(endpoint)}. Check that the URL uses https and the right host.`,
      { status },
    );
  }
  const parsed = parseErrorBody(res.text, res.headers.get('content-type'));
  switch (parsed.kind) {
    case 'oauth':
      return new SalesforceError(endpoint, parsed.error, parsed.description, { status });
    case 'rest':
      return new SalesforceError(endpoint, parsed.errorCode, parsed.message, { status });
    case 'plain':
      return new SalesforceError(endpoint, parsed.code, undefined, { status });
    case 'html':
      return new BadResponseError(
        `${host} answered ${status} with an HTML page${parsed.title ? ` ("${parsed.title}")` : ''} where Salesforce sends JSON; it does not look like ${expectedHost(endpoint)}. A Lightning host (*.lightning.force.com), a Setup URL or a proxy page answers like this.`,
        { status },
      );
    case 'empty':
      return new BadResponseError(`${host} answered ${status} with an empty body; it does not look like ${expectedHost(endpoint)}.`, { status });
    case 'unrecognised':
      return new BadResponseError(`${host} answered ${status} with a body sfoauth does not recognise; it does not look like ${expectedHost(endpoint)}.`, {
        status,
      });
  }
}

/**
 * The JSON body of a successful response. When the body is not JSON (an HTML login page at 200, a
 * proxy's page) the error says which kind of host was expected, instead of a bare parse failure.
 */
export function expectJson(res: HttpResponse, endpoint: SalesforceEndpoint, requestedUrl?: string | URL): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    throw errorFromResponse(res, endpoint, requestedUrl);
  }
}
