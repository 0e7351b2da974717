/**
 * The Metadata REST deploy, for External Client Apps only (docs/create.md; docs/salesforce.md §14.6):
 * POST …/metadata/deployRequest takes a multipart body (`entity_content` JSON + `file` zip), checks the
 * package, and answers 201 with a deploy id; GET …/deployRequest/{id} answers InProgress for a moment,
 * then Succeeded (the apps exist, with minted key and secret) or Failed with Salesforce-shaped
 * componentFailures. All or nothing, like rollbackOnError. Every size is bounded: the body by
 * server.ts, the parts here, the zip by zip-read.ts, the XML by metadata-xml.ts.
 */
import { createApp, validateAppPatch, type AppInput, type RefreshTokenPolicy } from '../apps.js';
import { mayModifyMetadata, type EmulatorContext } from '../context.js';
import { newId, rememberDeploy, type ComponentResult, type DeployRecord } from '../eca-registry.js';
import type { EmuRequest, Reply } from '../http-util.js';
import { childText, METADATA_NS, parseMetadataXml, XmlError, type XmlElement } from '../metadata-xml.js';
import { SUPPORTED_SCOPES } from '../scopes.js';
import { readZip, ZipError } from '../zip-read.js';

type RestReply = (status: number, value: unknown) => Reply;

interface TypeInfo {
  folder: string;
  suffix: string;
  since: number;
  required: readonly string[];
  fields: readonly string[];
}

/** The ECA types the emulator knows, with the fields of docs/salesforce.md §14.2. */
const TYPES: Readonly<Record<string, TypeInfo>> = {
  ExternalClientApplication: {
    folder: 'externalClientApps',
    suffix: 'eca',
    since: 59,
    required: ['label', 'contactEmail', 'distributionState'],
    fields: ['contactEmail', 'contactPhone', 'description', 'distributionState', 'iconUrl', 'infoUrl', 'isProtected', 'label', 'logoUrl', 'managedType', 'orgScopedExternalApp'],
  },
  ExtlClntAppOauthSettings: {
    folder: 'extlClntAppOauthSettings',
    suffix: 'ecaOauth',
    since: 59,
    required: ['externalClientApplication', 'label'],
    fields: ['commaSeparatedOauthScopes', 'customAttributes', 'externalClientApplication', 'isFirstPartyAppEnabled', 'label', 'oauthLink', 'singleLogoutUrl', 'trustedIpRanges'],
  },
  ExtlClntAppGlobalOauthSettings: {
    folder: 'extlClntAppGlobalOauthSets',
    suffix: 'ecaGlblOauth',
    since: 59,
    required: ['externalClientApplication', 'label'],
    fields: ['callbackUrl', 'certificate', 'consumerKey', 'consumerSecret', 'externalClientApplication', 'idTokenConfig', 'isClientCredentialsFlowEnabled',
      'isCodeCredFlowEnabled', 'isCodeCredPostOnly', 'isConsumerSecretOptional', 'isDeviceFlowEnabled', 'isIntrospectAllTokens', 'isNamedUserJwtEnabled',
      'isPkceRequired', 'isRefreshTokenRotationEnabled', 'isSecretRequiredForRefreshToken', 'isSecretRequiredForTokenExchange', 'isTokenExchangeEnabled',
      'label', 'shouldRotateConsumerKey', 'shouldRotateConsumerSecret'],
  },
  ExtlClntAppOauthConfigurablePolicies: {
    folder: 'extlClntAppOauthPolicies',
    suffix: 'ecaOauthPlcy',
    since: 59,
    required: ['externalClientApplication', 'label'],
    fields: ['apexHandler', 'clientCredentialsFlowUser', 'commaSeparatedCustomScopes', 'commaSeparatedPermissionSet', 'commaSeparatedProfile', 'customAttributes',
      'executeHandlerAs', 'externalClientApplication', 'guestJwtTimeout', 'ipRelaxationPolicyType', 'isClientCredentialsFlowEnabled', 'isGuestCodeCredFlowEnabled',
      'isNamedUserJwtEnabled', 'isTokenExchangeFlowEnabled', 'label', 'namedUserJwtTimeout', 'permittedUsersPolicyType', 'policyAction', 'refreshTokenPolicyType',
      'refreshTokenValidityPeriod', 'refreshTokenValidityUnit', 'requiredSessionLevel', 'sessionTimeoutInMinutes', 'singleLogoutUrl', 'startUrl'],
  },
};

/** The ECA type's entry when API version `version` knows it (each type has a `since`), else undefined. */
export function ecaTypeAt(type: string, version: number): TypeInfo | undefined {
  const info = Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
  return info !== undefined && version >= info.since ? info : undefined;
}

const BOOLEAN_FIELD = /^(is|should)[A-Z]/;

/** `commaSeparatedOauthScopes` values (as Salesforce spells them) → OAuth scope names (the emulator's own table). */
export const METADATA_SCOPES: Readonly<Record<string, readonly string[]>> = {
  Api: ['api'], RefreshToken: ['refresh_token', 'offline_access'], Web: ['web'], Full: ['full'], Basic: ['id'], OpenID: ['openid'],
  Profile: ['profile'], Email: ['email'], Address: ['address'], Phone: ['phone'], CustomApplications: ['visualforce'], Chatter: ['chatter_api'],
  CustomPermissions: ['custom_permissions'], Wave: ['wave_api'], Eclair: ['eclair_api'], Pardot: ['pardot_api'], Lightning: ['lightning'],
  Content: ['content'], CDPIngest: ['cdp_ingest_api'],
};
/** The same, by lower-case name: Salesforce reads the values case-insensitively. */
const SCOPE_NAMES = new Map(Object.entries(METADATA_SCOPES).map(([k, v]) => [k.toLowerCase(), v]));

const MAX_PARTS = 4;
const MAX_PART_HEADER = 1024;
const MAX_JSON = 16 * 1024;

export function deployRequest(req: EmuRequest, ctx: EmulatorContext, version: number, id: string | undefined, userId: string, restJson: RestReply): Reply {
  const err = (status: number, errorCode: string, message: string) => restJson(status, [{ message, errorCode }]);
  if (!mayModifyMetadata(ctx, userId)) {
    return err(403, 'INSUFFICIENT_ACCESS', 'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions');
  }
  const base = `/services/data/v${version}.0/metadata/deployRequest`;
  if (id !== undefined) {
    if (req.method !== 'GET') return err(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET`);
    const record = ctx.metadata.deploys.get(id);
    if (!record) return err(404, 'NOT_FOUND', 'The requested resource does not exist');
    return restJson(200, statusBody(record, ctx.now(), base, req.url.searchParams.get('includeDetails') === 'true'));
  }
  if (req.method !== 'POST') return err(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are POST`);
  const parts = multipart(req);
  if (typeof parts === 'string') return err(400, 'INVALID_MULTIPART_REQUEST', parts);
  const entity = parts.get('entity_content');
  const file = parts.get('file');
  if (!entity || !file) return err(400, 'INVALID_MULTIPART_REQUEST', 'The request needs two parts: entity_content (JSON deploy options) and file (the zip).');
  let options: Record<string, unknown>;
  try {
    const parsed = JSON.parse(entity.toString('utf8')) as unknown;
    const deployOptions = parsed !== null && typeof parsed === 'object' ? (parsed as { deployOptions?: unknown }).deployOptions : undefined;
    options = deployOptions !== null && typeof deployOptions === 'object' && !Array.isArray(deployOptions) ? (deployOptions as Record<string, unknown>) : {};
  } catch {
    return err(400, 'JSON_PARSER_ERROR', 'entity_content is not valid JSON.');
  }
  const now = ctx.now();
  const record: DeployRecord = {
    id: newId('0Af', ctx.org.id),
    createdAt: now,
    doneAt: now + ctx.metadata.deployMs,
    status: 'Succeeded',
    successes: [],
    failures: [],
    deployOptions: pickOptions(options),
  };
  runDeploy(ctx, record, file, options.checkOnly === true);
  rememberDeploy(ctx.metadata, record);
  return restJson(201, { ...statusBody(record, now, base, false), deployOptions: record.deployOptions });
}

function pickOptions(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['allowMissingFiles', 'autoUpdatePackage', 'checkOnly', 'ignoreWarnings', 'performRetrieve', 'purgeOnDelete', 'rollbackOnError', 'runTests', 'singlePackage', 'testLevel']) {
    if (typeof o[k] === 'boolean' || typeof o[k] === 'string') out[k] = o[k];
  }
  return out;
}

function statusBody(r: DeployRecord, now: number, base: string, details: boolean): Record<string, unknown> {
  const done = now >= r.doneAt;
  const status = done ? r.status : 'InProgress';
  const total = r.successes.length + r.failures.length;
  const result: Record<string, unknown> = {
    id: r.id,
    status,
    done,
    success: done && r.status === 'Succeeded',
    checkOnly: r.deployOptions.checkOnly === true,
    createdDate: new Date(r.createdAt).toISOString(),
    completedDate: done ? new Date(r.doneAt).toISOString() : null,
    numberComponentsTotal: total,
    numberComponentsDeployed: done ? r.successes.length : 0,
    numberComponentErrors: done ? r.failures.length : 0,
    numberTestsTotal: 0,
    numberTestErrors: 0,
    runTestsEnabled: false,
    rollbackOnError: true,
    ignoreWarnings: r.deployOptions.ignoreWarnings === true,
    errorMessage: done ? (r.errorMessage ?? null) : null,
    errorStatusCode: done && r.errorMessage ? 'UNKNOWN_EXCEPTION' : null,
  };
  if (details) {
    const shape = (c: ComponentResult, success: boolean) => ({ changed: success, created: success, deleted: false, success, ...c });
    result.details = {
      componentSuccesses: done ? r.successes.map((c) => shape(c, true)) : [],
      componentFailures: done ? r.failures.map((c) => shape(c, false)) : [],
      runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 },
    };
  }
  return { id: r.id, url: `${base}/${r.id}`, validatedDeployRequestId: null, deployResult: result };
}

// ------------------------------------------------------------------------------------------ multipart

/** name → body of each part, or why the body is not multipart/form-data. */
function multipart(req: EmuRequest): Map<string, Buffer> | string {
  const type = req.headers['content-type'] ?? '';
  const m = /^multipart\/form-data\s*;.*?\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return 'Content-Type must be multipart/form-data with a boundary.';
  const body = req.rawBody ?? Buffer.from(req.body, 'utf8');
  const delim = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let pos = body.indexOf(delim);
  if (pos === -1) return 'The body has no part.';
  for (let n = 0; ; n++) {
    const after = pos + delim.length;
    if (body.subarray(after, after + 2).toString() === '--') return parts;
    if (n >= MAX_PARTS) return `More than ${MAX_PARTS} parts.`;
    if (body.subarray(after, after + 2).toString() !== '\r\n') return 'A boundary line is not followed by CRLF.';
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), after);
    if (next === -1) return 'The last part is not closed by the boundary.';
    const part = body.subarray(after + 2, next);
    const split = part.indexOf('\r\n\r\n');
    if (split === -1 || split > MAX_PART_HEADER) return 'A part has no header block, or a header block that is too long.';
    const headers = part.subarray(0, split).toString('utf8');
    const name = /^content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]{1,100})"/im.exec(headers)?.[1];
    if (!name) return 'A part has no Content-Disposition name.';
    const data = part.subarray(split + 4);
    if (name === 'entity_content' && data.length > MAX_JSON) return 'entity_content is too large.';
    if (parts.has(name)) return `The part ${name} appears twice.`;
    parts.set(name, data);
    pos = next + 2;
  }
}

// -------------------------------------------------------------------------------------------- deploy

interface Component {
  type: string;
  member: string;
  fileName: string;
  root?: XmlElement;
}

function runDeploy(ctx: EmulatorContext, record: DeployRecord, zipBytes: Buffer, checkOnly: boolean): void {
  const fail = (c: { componentType: string; fullName: string; fileName: string }, problem: string, lineNumber?: number) => {
    const f: ComponentResult = { ...c, problem, problemType: 'Error' };
    if (lineNumber !== undefined) f.lineNumber = lineNumber;
    record.failures.push(f);
  };
  let files: Map<string, Buffer>;
  try {
    files = readZip(zipBytes);
  } catch (err) {
    record.status = 'Failed';
    record.errorMessage = err instanceof ZipError ? `The zip file is not valid: ${err.message}` : 'The zip file is not valid.';
    return;
  }
  const pkgFile = files.get('package.xml');
  if (!pkgFile) {
    record.status = 'Failed';
    record.errorMessage = 'No package.xml found';
    return;
  }
  const pkg = readXml(pkgFile, 'Package');
  if (typeof pkg === 'string') {
    fail({ componentType: '', fullName: 'package.xml', fileName: 'package.xml' }, pkg);
    record.status = 'Failed';
    return;
  }
  const version = Number(childText(pkg.root, 'version'));
  const components: Component[] = [];
  for (const types of pkg.root.children.filter((c) => c.name === 'types')) {
    const type = childText(types, 'name') ?? '';
    const info = ecaTypeAt(type, version);
    if (!info) {
      fail({ componentType: '', fullName: 'package.xml', fileName: 'package.xml' }, `Unknown type name '${type}' specified in package.xml`);
      continue;
    }
    for (const m of types.children.filter((c) => c.name === 'members')) {
      components.push({ type, member: m.text, fileName: `${info.folder}/${m.text}.${info.suffix}` });
    }
  }
  const headers = new Map<string, XmlElement>();
  for (const c of components) {
    const id = { componentType: c.type, fullName: c.member, fileName: c.fileName };
    const bytes = files.get(c.fileName);
    if (!bytes) {
      fail({ ...id, fileName: 'package.xml' }, `An object '${c.member}' of type ${c.type} was named in package.xml, but was not found in zipped directory`);
      continue;
    }
    const doc = readXml(bytes, c.type);
    if (typeof doc === 'string') {
      fail(id, doc);
      continue;
    }
    const problem = fieldProblem(c.type, doc.root);
    if (problem) {
      fail(id, problem);
      continue;
    }
    if (ctx.faults.noEcaCreate) {
      fail(id, 'insufficient access rights: this user may not create, edit or delete External Client Apps');
      continue;
    }
    c.root = doc.root;
    if (c.type === 'ExternalClientApplication') {
      if (ctx.metadata.ecas.has(c.member.toLowerCase())) fail(id, `An External Client App named ${c.member} already exists (the emulator does not update apps).`);
      else headers.set(c.member.toLowerCase(), doc.root);
    }
  }
  for (const c of components) {
    if (!c.root || c.type === 'ExternalClientApplication') continue;
    const parent = childText(c.root, 'externalClientApplication') ?? '';
    if (!headers.has(parent.toLowerCase())) {
      fail({ componentType: c.type, fullName: c.member, fileName: c.fileName }, `In field: externalClientApplication - no ExternalClientApplication named ${parent} found`);
    }
  }
  const ok = components.filter((c) => c.root && !record.failures.some((f) => f.fullName === c.member && f.componentType === c.type));
  record.successes.push(...ok.map((c) => ({ componentType: c.type, fullName: c.member, fileName: c.fileName })));
  if (record.failures.length > 0) {
    record.status = 'Failed';
    return;
  }
  if (!checkOnly) createApps(ctx, record, ok, headers);
}

/** The XML's root, or the problem text Salesforce would show. */
function readXml(bytes: Buffer, type: string): { root: XmlElement } | string {
  let root: XmlElement;
  try {
    root = parseMetadataXml(bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlError) return `Error parsing file: line ${err.line}: ${err.message}`;
    throw err;
  }
  if (root.name !== type || root.attributes.xmlns !== METADATA_NS) {
    return `Error parsing file: the root element must be {${METADATA_NS}}${type}, not {${root.attributes.xmlns ?? ''}}${root.name}`;
  }
  return { root };
}

function fieldProblem(type: string, root: XmlElement): string | undefined {
  const info = TYPES[type]!;
  for (const child of root.children) {
    if (!info.fields.includes(child.name)) return `Error parsing file: Element {${METADATA_NS}}${child.name} invalid at this location in type ${type}`;
    if (BOOLEAN_FIELD.test(child.name) && child.text !== 'true' && child.text !== 'false') return `'${child.text.slice(0, 40)}' is not a valid value for the type boolean in field ${child.name}`;
  }
  for (const field of info.required) if ((childText(root, field) ?? '').trim() === '') return `Required field is missing: ${field}`;
  const state = childText(root, 'distributionState');
  if (type === 'ExternalClientApplication' && state !== 'Local' && state !== 'Packaged') {
    return `'${(state ?? '').slice(0, 40)}' is not a valid value for the enum 'ExtlClntAppDistState'`;
  }
  if (type === 'ExtlClntAppGlobalOauthSettings') {
    const urls = (childText(root, 'callbackUrl') ?? '').split(/\r?\n/).filter((u) => u.trim() !== '');
    if (urls.some((u) => !URL.canParse(u.trim()))) return 'Invalid callback URL';
    // The same checks as an uploaded certificate (apps.ts): the JWT bearer flow verifies against it.
    const certificate = childText(root, 'certificate');
    if (certificate !== undefined && validateAppPatch({ certificate }).issues.length > 0) return 'Invalid certificate: expected one PEM X.509 certificate with an RSA key';
  }
  if (type === 'ExtlClntAppOauthConfigurablePolicies') {
    // The emulator's own rules (Salesforce's texts are UNCONFIRMED): client credentials need a Run As
    // username, and a pre-authorized policy names the profiles it admits.
    const runAs = childText(root, 'clientCredentialsFlowUser');
    if (childText(root, 'isClientCredentialsFlowEnabled') === 'true' && (runAs ?? '').trim() === '') return 'Required field is missing: clientCredentialsFlowUser';
    if (runAs !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+$/.test(runAs)) return `In field: clientCredentialsFlowUser - no User named ${runAs.slice(0, 80)} found`;
    const permitted = childText(root, 'permittedUsersPolicyType');
    if (permitted !== undefined && permitted !== 'AllSelfAuthorized' && permitted !== 'AdminApprovedPreAuthorized') {
      return `'${permitted.slice(0, 40)}' is not a valid value for the enum 'PermittedUsersPolicyType'`;
    }
  }
  return undefined;
}

function createApps(ctx: EmulatorContext, record: DeployRecord, components: Component[], headers: Map<string, XmlElement>): void {
  for (const [key, header] of headers) {
    const of = (type: string) => components.find((c) => c.type === type && (childText(c.root!, 'externalClientApplication') ?? '').toLowerCase() === key);
    const global = of('ExtlClntAppGlobalOauthSettings');
    const oauth = of('ExtlClntAppOauthSettings');
    const policies = of('ExtlClntAppOauthConfigurablePolicies');
    const developerName = components.find((c) => c.type === 'ExternalClientApplication' && c.member.toLowerCase() === key)?.member ?? key;
    const label = childText(header, 'label') ?? developerName;
    const members: Record<string, string> = {};
    for (const c of [global, oauth, policies]) if (c) members[c.type] = c.member;
    members.ExternalClientApplication = developerName;
    // Salesforce generates the policies on deploy, named after the OAuth settings (docs/salesforce.md §14.5).
    if (global && !policies) members.ExtlClntAppOauthConfigurablePolicies = `${oauth?.member ?? developerName}_defaultPolicy`;
    const eca = { developerName, label, appId: newId('0xI', ctx.org.id), listedFrom: record.doneAt, members };
    if (!global) {
      ctx.metadata.ecas.set(key, eca);
      continue;
    }
    const input = appInput(label, global.root!, oauth?.root, policies?.root, ctx.user.username);
    // Live once the deploy is done and the propagation delay has passed.
    const app = createApp({ ...input, propagationDelayMs: record.doneAt - record.createdAt + ctx.metadata.propagationMs }, record.createdAt);
    ctx.apps.set(app.clientId, app);
    ctx.metadata.ecas.set(key, { ...eca, consumerId: newId('888', ctx.org.id), consumerName: global.member, clientId: app.clientId });
  }
}

/** The profile of the emulator's login user, for pre-authorization by profile. */
const ADMIN_PROFILE = 'system administrator';

function appInput(label: string, global: XmlElement, oauth: XmlElement | undefined, policies: XmlElement | undefined, adminUsername: string): AppInput {
  const flag = (name: string, fallback: boolean) => {
    const v = childText(global, name);
    return v === undefined ? fallback : v === 'true';
  };
  const callbackUrls = (childText(global, 'callbackUrl') ?? '').split(/\r?\n/).map((u) => u.trim()).filter(Boolean);
  const scopes = (childText(oauth ?? global, 'commaSeparatedOauthScopes') ?? '')
    .split(',')
    .flatMap((s) => SCOPE_NAMES.get(s.trim().toLowerCase()) ?? [])
    .filter((s) => SUPPORTED_SCOPES.includes(s));
  const input: AppInput = {
    name: label,
    appType: 'external-client-app',
    requirePkce: flag('isPkceRequired', false),
    requireSecretWebServer: !flag('isConsumerSecretOptional', false),
    requireSecretRefresh: flag('isSecretRequiredForRefreshToken', true),
    introspectAllTokens: flag('isIntrospectAllTokens', false),
    rotateRefreshTokens: flag('isRefreshTokenRotationEnabled', false),
  };
  if (callbackUrls.length > 0) input.callbackUrls = callbackUrls;
  const certificate = childText(global, 'certificate');
  if (certificate !== undefined) input.certificate = certificate;
  if (scopes.length > 0) input.scopes = [...new Set(scopes)];
  if (policies) {
    input.refreshTokenPolicy = refreshPolicy(policies);
    if (childText(policies, 'permittedUsersPolicyType') === 'AdminApprovedPreAuthorized') {
      input.permittedUsers = 'admin-approved-pre-authorized';
      // The login user is a System Administrator: naming that profile pre-authorizes them.
      const profiles = (childText(policies, 'commaSeparatedProfile') ?? '').split(',').map((p) => p.trim().toLowerCase());
      if (profiles.includes(ADMIN_PROFILE)) input.preAuthorizedUsers = [adminUsername];
    }
    const runAs = childText(policies, 'clientCredentialsFlowUser');
    if (childText(policies, 'isClientCredentialsFlowEnabled') === 'true' && flag('isClientCredentialsFlowEnabled', false)) {
      input.clientCredentials = runAs ? { enabled: true, runAsUsername: runAs } : { enabled: true };
    }
  }
  return input;
}

export const UNIT_MS = { Hours: 3_600_000, Days: 86_400_000, Months: 30 * 86_400_000 } as const;

function refreshPolicy(policies: XmlElement): RefreshTokenPolicy {
  const type = childText(policies, 'refreshTokenPolicyType');
  if (type === 'Immediately') return 'immediately';
  if (type === 'SpecificLifetime') {
    const period = Number(childText(policies, 'refreshTokenValidityPeriod'));
    const name = childText(policies, 'refreshTokenValidityUnit') ?? '';
    // Own keys only: a unit read from the deployed XML such as "toString" is no unit.
    const unit = Object.hasOwn(UNIT_MS, name) ? (UNIT_MS as Readonly<Record<string, number>>)[name] : undefined;
    if (Number.isInteger(period) && period > 0 && unit !== undefined) return { kind: 'lifetime', ms: period * unit };
  }
  return 'infinite';
}
