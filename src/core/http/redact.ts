/**
 * Redaction for the --verbose HTTP trace (and anything else that must show a URL, form or body).
 * The rule is "show the shape, never the secret": names stay, secret values become `[redacted]`.
 * Forms use an allowlist (only fields known to be harmless are shown), because a new secret field
 * should be hidden by default; URLs and JSON use a denylist of the names Salesforce uses for secrets.
 */

export const REDACTED = '[redacted]';

/** Query (and fragment) parameters that carry codes or tokens. */
const SECRET_QUERY_PARAMS = new Set([
  'code',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'oauth_token',
  'assertion',
]);

/** Form fields shown in clear in a trace; every other field's value is redacted. */
const CLEAR_FORM_FIELDS = new Set([
  'grant_type',
  'client_id',
  'redirect_uri',
  'scope',
  'token_type_hint',
  'response_type',
  'format',
]);

/** JSON keys whose values are secrets, at any depth. */
const SECRET_JSON_KEYS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'signature',
  'client_secret',
  'code_verifier',
  'device_code',
  'assertion',
  // The credentials REST API answers {"key","secret"}; a metadata retrieve carries consumerSecret (docs/create.md).
  'secret',
  'consumerSecret',
]);

/** Non-JSON bodies are cut to this many characters (after redaction). */
const TEXT_PREVIEW_CHARS = 200;
/** JSON bodies (a limits response is tens of kB) are cut to this many characters. */
const JSON_PREVIEW_CHARS = 2000;

/** A URL with the values of code/token/secret parameters (query and fragment) replaced by `[redacted]`. */
export function redactUrl(url: string | URL): string {
  const text = String(url);
  const hashAt = text.indexOf('#');
  const beforeHash = hashAt === -1 ? text : text.slice(0, hashAt);
  const hash = hashAt === -1 ? undefined : text.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  let out = queryAt === -1 ? beforeHash : `${beforeHash.slice(0, queryAt)}?${redactParams(beforeHash.slice(queryAt + 1))}`;
  // The user-agent flow puts tokens in the fragment.
  if (hash !== undefined) out += `#${redactParams(hash)}`;
  return out;
}

/** Redacts `name=value` pairs, keeping the original encoding of everything it leaves alone. */
function redactParams(query: string, isSecret: (name: string) => boolean = (n) => SECRET_QUERY_PARAMS.has(n)): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return isSecret(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A form body as `name=value&…` for the trace: grant_type, client_id, redirect_uri, scope and
 * token_type_hint in clear, every other value `[redacted]`; undefined values are left out, as they
 * are on the wire.
 */
export function redactForm(form: Record<string, string | undefined> | URLSearchParams): string {
  const entries: [string, string][] =
    form instanceof URLSearchParams
      ? [...form.entries()]
      : Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined);
  return entries
    .map(([name, value]) => `${encodeURIComponent(name)}=${CLEAR_FORM_FIELDS.has(name) ? encodeURIComponent(value) : REDACTED}`)
    .join('&');
}

/**
 * A response body for the trace, on one line. JSON: secret keys (access_token, refresh_token,
 * id_token, signature, client_secret…) become `[redacted]` at any depth. Anything else (HTML, the
 * urlencoded revoke error, plain `Bad_OAuth_Token`): token-looking text is redacted, then the first
 * 200 characters are kept.
 */
export function redactBody(text: string, contentType?: string | null): string {
  if (text === '') return '';
  const json = tryParseJson(text, contentType);
  if (json.ok) return truncate(JSON.stringify(redactJson(json.value)), JSON_PREVIEW_CHARS);
  const isForm = /application\/x-www-form-urlencoded/i.test(contentType ?? '');
  const redacted = redactTokenLikeText(isForm ? redactParams(text.trim(), isSecretName) : text);
  return truncate(redacted.replace(/\s+/g, ' ').trim(), TEXT_PREVIEW_CHARS);
}

function isSecretName(name: string): boolean {
  return SECRET_QUERY_PARAMS.has(name) || SECRET_JSON_KEYS.has(name);
}

function tryParseJson(text: string, contentType?: string | null): { ok: true; value: unknown } | { ok: false } {
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (!looksJson) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A deep copy of a parsed JSON value with secret keys replaced. */
export function redactJson(value: unknown, depth = 0): unknown {
  // A hostile body nests a million levels deep; no Salesforce answer needs more than a few, and walking
  // (or JSON.stringify-ing) it all would overflow the stack (docs/hostile-input.md "Response bodies").
  if (depth >= MAX_JSON_DEPTH && value !== null && typeof value === 'object') return '…';
  if (Array.isArray(value)) return value.map((item) => redactJson(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = SECRET_JSON_KEYS.has(key) ? REDACTED : redactJson(v, depth + 1);
    return out;
  }
  return value;
}

const MAX_JSON_DEPTH = 16;

/**
 * Hides anything in free text that looks like a credential: `name=value` pairs with a secret name,
 * Salesforce session ids (`00D…!…`), JWTs, Bearer values, and long opaque strings such as refresh
 * tokens (`5Aep86…`). Over-redacting a debug trace is fine; leaking a token is not.
 */
export function redactTokenLikeText(text: string): string {
  return (
    text
      .replace(
        /\b(access_token|refresh_token|id_token|token|code|client_secret|code_verifier|oauth_token|signature|assertion)=([^&\s"'<>]+)/gi,
        `$1=${REDACTED}`,
      )
      .replace(/\b(Bearer|Basic)\s+[^\s"'<>,]+/gi, `$1 ${REDACTED}`)
      .replace(/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+/g, REDACTED)
      .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED)
      // Long runs mixing upper case, lower case and digits: opaque tokens, not words or host names.
      .replace(/[A-Za-z0-9._~+=!-]{32,}/g, (run) =>
        /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) ? REDACTED : run,
      )
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}
