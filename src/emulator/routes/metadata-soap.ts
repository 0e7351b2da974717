/**
 * The Metadata API's SOAP endpoint, POST /services/Soap/m/{version}, for two read calls on the External
 * Client Apps deployed through the emulator (docs/create.md §10): `listMetadata` (full names by type)
 * and `readMetadata` (at most 10 names of one type). The session is the access token in the
 * SessionHeader. Values come from the live app (so a changed app reads back changed); the consumer
 * secret is never returned (reading it through metadata is deprecated). Faults are SOAP faults with
 * HTTP 500: INVALID_SESSION_ID, INSUFFICIENT_ACCESS (a Run As user, or the `noModifyMetadata` fault), INVALID_TYPE.
 */
import type { EmulatorApp, RefreshTokenPolicy } from '../apps.js';
import { liveAccess, mayModifyMetadata, type EmulatorContext } from '../context.js';
import { listedEcas, type DeployedEca } from '../eca-registry.js';
import type { EmuRequest, Reply } from '../http-util.js';
import { METADATA_NS, parseMetadataXml, XmlError, type XmlElement } from '../metadata-xml.js';
import { allowsRestApi } from '../scopes.js';
import { ecaTypeAt, METADATA_SCOPES, UNIT_MS } from './metadata-deploy.js';

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const READ_LIMIT = 10;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmlReply(status: number, body: string): Reply {
  const doc = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: doc };
}

const fault = (code: string, text: string) =>
  xmlReply(500, `<soapenv:Fault><faultcode>${code.startsWith('soapenv:') ? code : `sf:${code}`}</faultcode><faultstring>${esc(text)}</faultstring></soapenv:Fault>`);

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => local(c.name) === name);
const texts = (el: XmlElement, name: string) => el.children.filter((c) => local(c.name) === name).map((c) => c.text.trim());

export function metadataSoap(req: EmuRequest, ctx: EmulatorContext, version: number): Reply {
  if (req.method !== 'POST') return fault('soapenv:Client', 'The Metadata API takes POST requests with a SOAP envelope.');
  let envelope: XmlElement;
  try {
    envelope = parseMetadataXml(req.body);
  } catch (err) {
    if (err instanceof XmlError) return fault('soapenv:Client', `Could not parse the request: line ${err.line}: ${err.message}`);
    throw err;
  }
  const body = child(envelope, 'Body');
  const callEl = body?.children[0];
  if (local(envelope.name) !== 'Envelope' || !callEl) return fault('soapenv:Client', 'Expected a SOAP Envelope with a Body.');
  const sessionId = child(child(child(envelope, 'Header'), 'SessionHeader'), 'sessionId')?.text.trim();
  const access = liveAccess(ctx, sessionId);
  if (!access || !allowsRestApi(access.scopes)) {
    return fault('INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
  }
  ctx.api.used++;
  if (!mayModifyMetadata(ctx, access.userId)) {
    return fault('INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions');
  }
  const checkType = (type: string) => (ecaTypeAt(type, version) ? undefined : fault('INVALID_TYPE', `INVALID_TYPE: Unknown type name '${type.slice(0, 80)}' specified`));
  const listed = listedEcas(ctx);

  switch (local(callEl.name)) {
    case 'listMetadata': {
      const queries = callEl.children.filter((c) => local(c.name) === 'queries');
      if (queries.length === 0 || queries.length > 3) return fault('soapenv:Client', 'listMetadata takes 1 to 3 queries.');
      const results: string[] = [];
      for (const q of queries) {
        const type = child(q, 'type')?.text.trim() ?? '';
        const bad = checkType(type);
        if (bad) return bad;
        for (const eca of listed) {
          const member = eca.members[type];
          if (member !== undefined) results.push(`<result><fullName>${esc(member)}</fullName><manageableState>unmanaged</manageableState><type>${type}</type></result>`);
        }
      }
      return xmlReply(200, `<listMetadataResponse>${results.join('')}</listMetadataResponse>`);
    }
    case 'readMetadata': {
      const type = child(callEl, 'type')?.text.trim() ?? '';
      const bad = checkType(type);
      if (bad) return bad;
      const names = texts(callEl, 'fullNames');
      if (names.length > READ_LIMIT) return fault('LIMIT_EXCEEDED', `LIMIT_EXCEEDED: No more than ${READ_LIMIT} allowed in request`);
      const records = names.map((name) => {
        const eca = listed.find((e) => e.members[type]?.toLowerCase() === name.toLowerCase());
        const fields = eca ? recordFields(ctx, eca, type) : undefined;
        if (!eca || !fields) return '<records xsi:nil="true"/>';
        const xml = Object.entries(fields).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
        return `<records xsi:type="${type}"><fullName>${esc(eca.members[type]!)}</fullName>${xml}</records>`;
      });
      return xmlReply(200, `<readMetadataResponse><result>${records.join('')}</result></readMetadataResponse>`);
    }
    default:
      return fault('soapenv:Client', `The emulator's Metadata API answers listMetadata and readMetadata, not ${local(callEl.name).slice(0, 40)}.`);
  }
}

/** The component's fields, in Salesforce's names, from the live app. */
function recordFields(ctx: EmulatorContext, eca: DeployedEca, type: string): Record<string, string> | undefined {
  const base = { externalClientApplication: eca.developerName };
  if (type === 'ExternalClientApplication') return { distributionState: 'Local', isProtected: 'false', label: eca.label };
  const app: EmulatorApp | undefined = eca.clientId ? ctx.apps.get(eca.clientId) : undefined;
  if (!app) return undefined;
  const bool = (v: boolean) => String(v);
  if (type === 'ExtlClntAppGlobalOauthSettings') {
    return {
      callbackUrl: app.callbackUrls.join('\n'),
      ...(app.certificate !== undefined ? { certificate: app.certificate } : {}),
      consumerKey: app.clientId,
      ...base,
      isClientCredentialsFlowEnabled: bool(app.clientCredentials.enabled),
      isConsumerSecretOptional: bool(!app.requireSecretWebServer),
      isIntrospectAllTokens: bool(app.introspectAllTokens),
      isPkceRequired: bool(app.requirePkce),
      isRefreshTokenRotationEnabled: bool(app.rotateRefreshTokens),
      isSecretRequiredForRefreshToken: bool(app.requireSecretRefresh),
      label: `${eca.label} global OAuth settings`,
    };
  }
  if (type === 'ExtlClntAppOauthSettings') {
    const names = Object.entries(METADATA_SCOPES).filter(([, scopes]) => scopes.some((s) => app.scopes.includes(s))).map(([name]) => name);
    return { commaSeparatedOauthScopes: names.join(', '), ...base, label: `${eca.label} OAuth settings` };
  }
  return {
    ...(app.clientCredentials.runAsUsername !== undefined ? { clientCredentialsFlowUser: app.clientCredentials.runAsUsername } : {}),
    ...base,
    ipRelaxationPolicyType: 'Enforce',
    isClientCredentialsFlowEnabled: bool(app.clientCredentials.enabled),
    label: eca.members[type] ?? eca.developerName,
    permittedUsersPolicyType: app.permittedUsers === 'admin-approved-pre-authorized' ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized',
    ...refreshPolicyFields(app.refreshTokenPolicy),
  };
}

/** The emulator's spelling of the policy (Salesforce's enum beyond SpecificLifetime is UNCONFIRMED). */
function refreshPolicyFields(p: RefreshTokenPolicy): Record<string, string> {
  if (p === 'infinite') return { refreshTokenPolicyType: 'Infinite' };
  if (p === 'immediately') return { refreshTokenPolicyType: 'Immediately' };
  const days = p.ms % UNIT_MS.Days === 0;
  const period = String(days ? p.ms / UNIT_MS.Days : Math.max(1, Math.round(p.ms / UNIT_MS.Hours)));
  return { refreshTokenPolicyType: p.kind === 'lifetime' ? 'SpecificLifetime' : 'ExpireIfNotUsed', refreshTokenValidityPeriod: period, refreshTokenValidityUnit: days ? 'Days' : 'Hours' };
}
