/**
 * Reading an External Client App's settings as deployed (docs/salesforce.md §19, docs/create.md §10):
 * the Metadata API's synchronous `listMetadata()` and `readMetadata()` calls over SOAP
 * (POST /services/Soap/m/{version}, the access token as the SessionHeader's sessionId). The Metadata
 * REST API has deploy but no read or retrieve, and no REST or Tooling resource documents these types,
 * so SOAP it is. Only flat fields are read from the answer; every size is bounded by the HTTP client,
 * and values from the network are returned as data, never echoed with control characters.
 */
import { BadResponseError, SalesforceError } from '../../errors.js';
import { serverResponseOf } from '../http/network-errors.js';
import type { HttpClient, HttpResponse } from '../http/request.js';
import { escapeXml, METADATA_NAMESPACE } from './eca-metadata.js';

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** readMetadata() takes at most 10 full names per call (Metadata API guide, readMetadata "Arguments"). */
export const READ_BATCH = 10;
/** listMetadata() takes at most 3 queries per call. */
const LIST_QUERIES = 3;

export interface Session {
  instanceUrl: string;
  accessToken: string;
  /** "66.0". */
  version: string;
}

/** One component as read: its full name and its flat fields (nested ones flattened by element name). */
export interface MetadataRecord {
  type: string;
  fullName: string;
  fields: Record<string, string>;
}

function envelope(accessToken: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns="${METADATA_NAMESPACE}">` +
    `<soapenv:Header><SessionHeader><sessionId>${escapeXml(accessToken)}</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/**
 * One call. A SOAP fault (HTTP 500 with `faultcode`) becomes SalesforceError('rest', code, text) with
 * the `sf:` prefix dropped: INSUFFICIENT_ACCESS, INVALID_SESSION_ID, INVALID_TYPE… Not retried: a fault
 * is an answer, and a 500 that is not one is reported as the server failing.
 */
async function call(http: HttpClient, s: Session, body: string): Promise<string> {
  const url = `${s.instanceUrl.replace(/\/+$/, '')}/services/Soap/m/${s.version}`;
  let res: HttpResponse;
  try {
    res = await http.request({
      method: 'POST',
      url,
      headers: { soapaction: '""' },
      body: { contentType: 'text/xml; charset=UTF-8', data: envelope(s.accessToken, body) },
      idempotent: false,
    });
  } catch (err) {
    const answer = serverResponseOf(err);
    const fault = answer && soapFault(answer.text);
    if (fault) throw new SalesforceError('rest', fault.code, fault.text, { status: answer.status });
    throw err;
  }
  const fault = soapFault(res.text);
  if (fault) throw new SalesforceError('rest', fault.code, fault.text, { status: res.status });
  if (res.status !== 200) throw new BadResponseError(`${new URL(url).host} answered the Metadata API call with HTTP ${res.status}.`, { status: res.status });
  return res.text;
}

/** `{code, text}` of a SOAP fault, or undefined. */
export function soapFault(xml: string): { code: string; text: string } | undefined {
  const code = /<(?:\w+:)?faultcode>([^<]{1,200})<\/(?:\w+:)?faultcode>/.exec(xml)?.[1];
  if (code === undefined) return undefined;
  const text = /<(?:\w+:)?faultstring>([^<]{0,2000})<\/(?:\w+:)?faultstring>/.exec(xml)?.[1] ?? '';
  return { code: clean(decode(code)).replace(/^\w+:/, ''), text: clean(decode(text)) };
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]{1,6}|#\d{1,7}|[A-Za-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const n = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
    }
    return ENTITIES[ref] ?? whole;
  });
}

function clean(s: string): string {
  const t = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').trim();
  return t.length > 2000 ? t.slice(0, 2000) : t;
}

/** The leaf elements of one block: `<name>text</name>` (optionally prefixed), first value per name wins. */
function leaves(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/<(?:\w+:)?(\w{1,80})(?:\s[^<>]{0,200})?>([^<]{0,20000})<\/(?:\w+:)?\1>/g)) {
    const [, name, text] = m;
    if (name !== undefined && !Object.hasOwn(out, name)) out[name] = clean(decode(text ?? ''));
  }
  return out;
}

/**
 * The blocks `<tag …>…</tag>` at any depth (no nesting of the same tag in these answers). One forward
 * scan: each opening tag is matched with the next closing one, and an unclosed one ends the search, so
 * a hostile answer of many unclosed tags costs one pass, not one pass per tag.
 */
export function blocks(xml: string, tag: string): string[] {
  // Not a self-closing `<records xsi:nil="true"/>`: readMetadata's answer for a name it does not know.
  const open = new RegExp(`<(?:\\w{1,40}:)?${tag}(?:\\s[^<>]{0,200})?(?<!/)>`, 'g');
  const close = new RegExp(`</(?:\\w{1,40}:)?${tag}>`, 'g');
  const out: string[] = [];
  while (out.length < 1000) {
    const start = open.exec(xml);
    if (!start) break;
    close.lastIndex = open.lastIndex;
    const end = close.exec(xml);
    if (!end) break;
    out.push(xml.slice(open.lastIndex, end.index));
    open.lastIndex = close.lastIndex;
  }
  return out;
}

/** `listMetadata()` for up to 3 types at once: their components' full names, by type. */
export async function listMetadata(http: HttpClient, s: Session, types: readonly string[]): Promise<Map<string, string[]>> {
  if (types.length === 0 || types.length > LIST_QUERIES) throw new RangeError(`listMetadata takes 1 to ${LIST_QUERIES} types.`);
  const queries = types.map((t) => `<queries><type>${escapeXml(t)}</type></queries>`).join('');
  const xml = await call(http, s, `<listMetadata>${queries}<asOfVersion>${escapeXml(s.version)}</asOfVersion></listMetadata>`);
  const out = new Map<string, string[]>(types.map((t) => [t, []]));
  for (const block of blocks(xml, 'result')) {
    const f = leaves(block);
    if (f.type !== undefined && f.fullName !== undefined && f.fullName !== '') out.get(f.type)?.push(f.fullName);
  }
  return out;
}

/** `readMetadata()` of one type, in batches of 10 (at most `maxNames` names in all). */
export async function readMetadata(http: HttpClient, s: Session, type: string, fullNames: readonly string[], maxNames = 50): Promise<MetadataRecord[]> {
  const records: MetadataRecord[] = [];
  const names = fullNames.slice(0, maxNames);
  for (let i = 0; i < names.length; i += READ_BATCH) {
    const batch = names.slice(i, i + READ_BATCH).map((n) => `<fullNames>${escapeXml(n)}</fullNames>`).join('');
    const xml = await call(http, s, `<readMetadata><type>${escapeXml(type)}</type>${batch}</readMetadata>`);
    for (const block of blocks(xml, 'records')) {
      const fields = leaves(block);
      if (fields.fullName) records.push({ type, fullName: fields.fullName, fields });
    }
  }
  return records;
}
