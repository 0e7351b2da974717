/**
 * Finds the Salesforce error(s) in whatever the user pasted: a redirected URL, a urlencoded body, a token
 * endpoint JSON body, a REST error array, `code: description`, a lone code, or text copied from a
 * Salesforce page (HTML included). The first form that yields an error wins; free text falls back to
 * spotting known codes and descriptions anywhere in it. Secrets in the paste are masked before anything
 * is returned, so the result can be echoed.
 */
import { CATALOG, isKnownCode, normalizeDescription } from './error-catalog.js';

export type ParsedErrorSource = 'url' | 'json' | 'urlencoded' | 'rest-array' | 'code' | 'page-text';

export interface ParsedError {
  error: string;
  description?: string;
  source: ParsedErrorSource;
}

/** Longest text kept when an unrecognised paste becomes the "code" itself. */
const MAX_RAW = 300;

export function parseErrorText(text: string): ParsedError[] {
  const cleaned = redactSecrets(cleanPastedText(text));
  if (!cleaned) return [];
  const found =
    fromJson(cleaned) ?? fromUrls(cleaned) ?? fromUrlencoded(cleaned) ?? fromKnownCodeForm(cleaned) ?? fromPageText(cleaned) ?? [fallback(cleaned)];
  return dedupe(found);
}

/** Masks authorization codes, tokens, secrets and verifiers in pasted text (query, JSON and header forms). */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(code|access_token|refresh_token|id_token|client_secret|code_verifier|token|assertion|password|sid)=([^&\s#"'<>]+)/gi, '$1=********')
    .replace(/"(code|access_token|refresh_token|id_token|client_secret|code_verifier|assertion|password|signature)"(\s*:\s*)"[^"]*"/gi, '"$1"$2"********"')
    .replace(/\b(Bearer|Authorization:\s*OAuth)\s+[A-Za-z0-9._~+/!=-]{8,}/gi, '$1 ********')
    .replace(/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+/g, '********');
}

// ---- cleaning ----

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", '#x27': "'", '#34': '"' };

// Every pattern here must run in linear time on any paste (docs/hostile-input.md "Parsing"): a tag
// stops at the next "<" as well as ">", so a page of unclosed "<a" costs one pass, not one per "<".
function cleanPastedText(text: string): string {
  let t = text.replace(/\r\n?/g, '\n');
  if (/<\/?[a-z!][^<>]*>/i.test(t)) {
    t = dropScriptsAndStyles(t)
      .replace(/<br\s*\/?>|<\/(p|div|pre|li|h\d|tr|title)>/gi, '\n')
      .replace(/<[^<>]+>/g, ' ');
  }
  t = t.replace(/&(amp|lt|gt|quot|apos|nbsp|#39|#x27|#34);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
  return t.trim();
}

/**
 * `<script>…</script>` and `<style>…</style>` blocks removed with indexOf, not a lazy regex (which
 * rescans to the end of the text for every unclosed "<script").
 */
function dropScriptsAndStyles(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  const open = /<(script|style)\b/g;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    const close = lower.indexOf(`</${m[1]}>`, m.index);
    if (close < 0) break; // unclosed: keep the rest, the tag pass below removes the tags themselves
    out += `${text.slice(from, m.index)} `;
    from = close + m[1]!.length + 3;
    open.lastIndex = from;
  }
  return out + text.slice(from);
}

function decodeParam(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function make(error: string, description: string | undefined, source: ParsedErrorSource): ParsedError {
  const out: ParsedError = { error: error.trim(), source };
  const d = description?.trim();
  if (d) out.description = d;
  return out;
}

function nonEmpty(list: ParsedError[]): ParsedError[] | undefined {
  return list.length > 0 ? list : undefined;
}

// ---- JSON: token endpoint {error, error_description}, REST [{errorCode, message}] ----

function fromJson(text: string): ParsedError[] | undefined {
  const docs: unknown[] = [];
  const tryParse = (s: string) => {
    try {
      docs.push(JSON.parse(s));
      return true;
    } catch {
      return false;
    }
  };
  if (!/^[[{]/.test(text) || !tryParse(text)) {
    // JSON inside a log line or a JSONP callback: flat objects and arrays of flat objects.
    for (const m of text.matchAll(/\[\s*\{[^[\]]*\}\s*\]|\{[^{}]*\}/g)) tryParse(m[0]);
  }
  const out: ParsedError[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 3 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v) visit(item, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.error === 'string' && o.error) {
      out.push(make(o.error, typeof o.error_description === 'string' ? o.error_description : undefined, 'json'));
    } else if (typeof o.errorCode === 'string' && o.errorCode) {
      out.push(make(o.errorCode, typeof o.message === 'string' ? o.message : undefined, 'rest-array'));
    } else {
      for (const child of Object.values(o)) visit(child, depth + 1);
    }
  };
  for (const doc of docs) visit(doc, 0);
  return nonEmpty(out);
}

// ---- URLs with ?error= or #error= ----

// The scheme is bounded (RFC 3986 schemes are short): an unbounded one is tried from every letter of a long word.
const SCHEME = '[a-z][a-z0-9+.-]{0,31}';
/** A URL inside pasted text (it ends at whitespace, a quote or an angle bracket), of any scheme or of some. */
const urlInText = (scheme: string) => new RegExp(`\\b${scheme}:\\/\\/[^\\s"'<>]+`, 'gi');
const URL_IN_TEXT = urlInText(SCHEME);
const HTTP_URL_IN_TEXT = urlInText('https?');
const LONE_URL = new RegExp(`^${SCHEME}:\\/\\/\\S+$`, 'i');

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The URLs in `text` that parse, in order. */
function* urlsIn(text: string, pattern: RegExp): Generator<URL> {
  for (const m of text.matchAll(pattern)) {
    const url = parseUrl(m[0]);
    if (url) yield url;
  }
}

/** The parameters of a redirect: its query, then its fragment (where a user-agent flow puts them). */
function paramSets(url: URL): URLSearchParams[] {
  return [url.searchParams, new URLSearchParams(url.hash.slice(1))];
}

function fromUrls(text: string): ParsedError[] | undefined {
  const out: ParsedError[] = [];
  for (const url of urlsIn(text, URL_IN_TEXT)) {
    for (const params of paramSets(url)) {
      const error = params.get('error');
      if (error) out.push(make(error, params.get('error_description') ?? undefined, 'url'));
    }
  }
  return nonEmpty(out);
}

/** The pasted text when it is one URL and nothing else, else undefined. */
export function loneUrl(text: string): URL | undefined {
  const trimmed = text.trim();
  return LONE_URL.test(trimmed) ? parseUrl(trimmed) : undefined;
}

/** Whether the URL carries an OAuth error (error or error_description, in the query or the fragment). */
export function hasOAuthError(url: URL): boolean {
  return paramSets(url).some((params) => params.has('error') || params.has('error_description'));
}

/** The first http(s) redirect_uri query parameter in the pasted text's http(s) URLs, if any. */
export function sentRedirectUri(text: string): string | undefined {
  for (const url of urlsIn(text, HTTP_URL_IN_TEXT)) {
    const sent = url.searchParams.get('redirect_uri');
    // A redirect_uri that is not a URL: nothing to show.
    const parsed = sent && /^https?:\/\//i.test(sent) ? parseUrl(sent) : undefined;
    if (parsed) return parsed.href;
  }
  return undefined;
}

// ---- error=…&error_description=… (also "error=X error_description=some text") ----

function fromUrlencoded(text: string): ParsedError[] | undefined {
  const out: ParsedError[] = [];
  for (const line of text.split('\n')) {
    // Whole runs first, then a test: `[^\s]*\berror=` would backtrack through a long run from every start.
    for (const m of line.matchAll(/[^\s"'<>]+/g)) {
      const run = m[0];
      if (!/\berror=/.test(run)) continue;
      const query = run.slice(run.search(/\berror=/)).replace(/^[?#&]/, '');
      let error: string | undefined;
      let description: string | undefined;
      for (const pair of query.split('&')) {
        const eq = pair.indexOf('=');
        if (eq < 0) continue;
        const key = pair.slice(0, eq);
        if (key === 'error') error = decodeParam(pair.slice(eq + 1));
        else if (key === 'error_description') description = decodeParam(pair.slice(eq + 1));
      }
      if (!error) continue;
      if (description === undefined) {
        // Space-separated form seen in vendor docs: "error=OAUTH_APP_BLOCKED error_description=this app is blocked by admin".
        const rest = line.slice((m.index ?? 0) + run.length).match(/^\s+error_description=(.*)$/);
        if (rest?.[1]) description = decodeParam(rest[1].trim());
      }
      out.push(make(error, description, 'urlencoded'));
    }
  }
  return nonEmpty(out);
}

// ---- `code`, `code: description`, `code description`, `[code] description` ----

const CODE_FORM = /^\[?([A-Za-z][A-Za-z0-9_-]*)\]?(?:\s*(?:::?|-|–|—|=|,)\s*|\s+|$)([\s\S]*)$/;

/** Quotes and parentheses trimmed off both ends (a loop: `["')]+$` is quadratic on a run of quotes). */
function stripQuotes(s: string): string {
  const t = s.trim();
  let start = 0;
  let end = t.length;
  while (start < end && `"'(`.includes(t[start]!)) start++;
  while (end > start && `"')`.includes(t[end - 1]!)) end--;
  return t.slice(start, end).trim();
}

function fromKnownCodeForm(text: string): ParsedError[] | undefined {
  if (text.includes('\n')) return undefined;
  const m = CODE_FORM.exec(text);
  if (!m?.[1] || !isKnownCode(m[1])) return undefined;
  return [make(m[1], stripQuotes(m[2] ?? ''), 'code')];
}

// ---- free text: known codes and descriptions anywhere ----

interface Hit {
  at: number;
  end: number;
}

/** Lower-cased, one-space text, so codes and descriptions are found regardless of layout and case. */
function flatten(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fromPageText(text: string): ParsedError[] | undefined {
  const flat = flatten(text);

  const codeHits = new Map<string, Hit & { code: string }>();
  for (const entry of CATALOG) {
    const key = entry.code.toLowerCase();
    if (codeHits.has(key)) continue;
    const m = new RegExp(`(?<![a-z0-9_])${escapeRegExp(key)}(?![a-z0-9_])`).exec(flat);
    if (m) codeHits.set(key, { code: entry.code, at: m.index, end: m.index + key.length });
  }

  // Descriptions: longest first, non-overlapping, so "ip restricted or invalid login hours" beats "ip restricted".
  const descs = CATALOG.flatMap((entry) => entry.descriptions.map((d) => ({ entry, d, norm: normalizeDescription(d) })))
    .filter((x) => x.norm.length >= 8)
    .sort((a, b) => b.norm.length - a.norm.length);
  const taken: Hit[] = [];
  const found: (Hit & { error: string; description?: string })[] = [];
  for (const { d, norm } of descs) {
    const at = flat.indexOf(norm);
    if (at < 0) continue;
    const end = at + norm.length;
    if (taken.some((h) => at < h.end && end > h.at)) continue;
    taken.push({ at, end });
    // A description shared by several codes goes to the code that also appears in the text, else the first.
    const owners = CATALOG.filter((e) => e.descriptions.some((x) => normalizeDescription(x) === norm));
    const owner = owners.find((e) => codeHits.has(e.code.toLowerCase())) ?? owners[0];
    if (owner) found.push({ at, end, error: owner.code, description: d });
  }

  for (const [key, hit] of codeHits) {
    if (found.some((f) => f.error.toLowerCase() === key)) continue;
    // Whatever follows the code on its line is the best guess at its description.
    const line = text.split('\n').find((l) => l.toLowerCase().includes(key)) ?? '';
    const after = line.slice(line.toLowerCase().indexOf(key) + key.length);
    const rest = stripQuotes(after.replace(/^\s*(?:::?|-|–|—|=|,)?\s*/, ''));
    found.push({ ...hit, error: hit.code, description: rest && rest.length <= MAX_RAW ? rest : undefined });
  }

  return nonEmpty(found.sort((a, b) => a.at - b.at).map((f) => make(f.error, f.description, 'page-text')));
}

// ---- nothing recognised ----

function fallback(text: string): ParsedError {
  if (!text.includes('\n')) {
    const m = CODE_FORM.exec(text);
    // An unknown snake_case / UPPER_CASE code, or a single word: keep it as the code.
    if (m?.[1] && (/[_]/.test(m[1]) || !/\s/.test(text))) return make(m[1], stripQuotes(m[2] ?? ''), 'code');
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return make(flat.length > MAX_RAW ? `${flat.slice(0, MAX_RAW)}…` : flat, undefined, 'page-text');
}

function dedupe(list: ParsedError[]): ParsedError[] {
  const key = (p: ParsedError) => `${p.error.toLowerCase().replace(/-/g, '_')}|${normalizeDescription(p.description ?? '')}`;
  const seen = new Set<string>();
  const withDescription = new Set(list.filter((p) => p.description).map((p) => p.error.toLowerCase()));
  return list.filter((p) => {
    // "invalid_grant" alone adds nothing next to "invalid_grant: expired access/refresh token".
    if (!p.description && withDescription.has(p.error.toLowerCase())) return false;
    const k = key(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
