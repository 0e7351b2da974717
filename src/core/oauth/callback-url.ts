/**
 * The callback URL sfoauth listens on (`--callback-url`) and the extra ones it only prints in the Setup
 * steps (`--extra-callback-url`, e.g. Nango's). The code can only reach us on a loopback http URL.
 */
import { UsageError } from '../../errors.js';

/** The Salesforce CLI's documented callback; many orgs already have it registered. */
export const DEFAULT_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';

export interface CallbackUrl {
  url: URL;
  /** localhost, 127.0.0.1 or ::1 (no IPv6 brackets). */
  host: string;
  port: number;
  /** The exact path the callback server answers on, e.g. /OauthRedirect. */
  path: string;
  /** Always true: anything else is refused. Kept so callers need not know that. */
  loopback: boolean;
}

const LOOPBACK_CALLBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FIX = `--callback-url ${DEFAULT_CALLBACK_URL}`;

export function parseCallbackUrl(input: string = DEFAULT_CALLBACK_URL): CallbackUrl {
  const raw = input.trim() === '' ? DEFAULT_CALLBACK_URL : input.trim();
  const url = parseAbsolute(raw, '--callback-url', FIX);
  refuseCredentialsAndFragment(url, raw, '--callback-url');
  const hostname = url.hostname.toLowerCase();
  const loopbackHost = LOOPBACK_CALLBACK_HOSTS.has(hostname);
  if (!loopbackHost || url.protocol !== 'http:') {
    throw new UsageError(`sfoauth cannot receive the authorization code at ${raw}.`, {
      hint:
        loopbackHost
          ? `Its local server speaks plain http (Salesforce accepts http for localhost callbacks): use http://${url.host}${url.pathname}.`
          : 'It can only listen on this machine, on an http URL whose host is localhost, 127.0.0.1 or [::1] ' +
            `(e.g. ${FIX}). Register your production callback (such as Nango's https://api.nango.dev/oauth/callback) ` +
            'on the app as well and pass it with --extra-callback-url, so the Setup steps list both.',
    });
  }
  if (url.search !== '') {
    throw new UsageError(`The callback URL ${raw} has a query string.`, {
      hint: `Salesforce appends ?code=…&state=… to the callback; register and pass a URL without one, e.g. ${FIX}.`,
    });
  }
  const port = url.port === '' ? 80 : Number(url.port);
  if (port < 1024) {
    throw new UsageError(`The callback URL ${raw} uses port ${port}, which only an administrator (root) can listen on.`, {
      hint: `Register a callback with a higher port on the app and pass it, e.g. ${FIX}.`,
    });
  }
  const host = hostname === '[::1]' ? '::1' : hostname;
  return { url, host, port, path: url.pathname, loopback: true };
}

/**
 * Another callback URL registered on the app (Nango, your own backend). sfoauth never listens on it,
 * so any host is fine, but Salesforce callbacks must be https unless they point at this machine.
 */
export function parseExtraCallbackUrl(input: string): URL {
  const raw = input.trim();
  const example = '--extra-callback-url https://api.nango.dev/oauth/callback';
  if (raw === '') throw new UsageError('--extra-callback-url needs a URL.', { hint: `e.g. ${example}` });
  const url = parseAbsolute(raw, '--extra-callback-url', example);
  refuseCredentialsAndFragment(url, raw, '--extra-callback-url');
  const loopback = LOOPBACK_CALLBACK_HOSTS.has(url.hostname.toLowerCase());
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError(`The extra callback URL ${raw} must use https.`, {
      hint: `Only callbacks on localhost, 127.0.0.1 or [::1] may use http, e.g. ${example}.`,
    });
  }
  return url;
}

/**
 * The addresses the callback server binds for a callback host (URL.hostname form accepted):
 * localhost resolves to either family depending on the browser, so both are bound.
 */
export function bindAddressesFor(host: string): string[] {
  switch (host.toLowerCase()) {
    case 'localhost':
      return ['127.0.0.1', '::1'];
    case '127.0.0.1':
      return ['127.0.0.1'];
    case '::1':
    case '[::1]':
      return ['::1'];
    default:
      throw new UsageError(`sfoauth only listens on loopback addresses, not on ${host}.`, { hint: `Use ${FIX}.` });
  }
}

function parseAbsolute(raw: string, flag: string, example: string): URL {
  // `localhost:1717/x` parses as a URL with scheme "localhost:": require the scheme to be there.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new UsageError(`${flag} must be an absolute URL with http:// or https://, not ${raw}.`, { hint: `e.g. ${example}` });
  }
  try {
    return new URL(raw);
  } catch {
    throw new UsageError(`${flag} is not a valid URL: ${raw}.`, { hint: `e.g. ${example}` });
  }
}

function refuseCredentialsAndFragment(url: URL, raw: string, flag: string): void {
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${flag} must not contain a user name or password: ${url.host}${url.pathname}.`);
  }
  // RFC 6749 §3.1.2: a redirection endpoint must not include a fragment.
  if (url.hash !== '' || raw.endsWith('#')) {
    throw new UsageError(`${flag} must not contain a #fragment: ${raw}.`);
  }
}
