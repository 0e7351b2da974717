/**
 * An External Client App described as data, and the Metadata API files that create it (docs/create.md;
 * types, fields and folders from docs/salesforce.md §14.1–§14.5). Pure: no I/O. The XML is written by
 * hand from a fixed set of element names, and every value goes through escapeXml, so a hostile label or
 * description cannot change the document's structure.
 */
import { UsageError } from '../../errors.js';
import { DEFAULT_SCOPES } from './scopes.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';
/** ECA metadata types exist since 59.0 (docs/salesforce.md §14.1). */
export const MIN_ECA_METADATA_VERSION = 59;
/** The Connect REST credentials resources exist since 60.0 (docs/salesforce.md §14.4). */
export const MIN_CREDENTIALS_API_VERSION = 60;

/** Refresh Token Policy of the app's OAuth policies (docs/salesforce.md §14.2 "Policies"). */
export type EcaRefreshPolicy =
  | { kind: 'infinite' }
  | { kind: 'immediately' }
  | { kind: 'lifetime'; period: number; unit: 'Hours' | 'Days' | 'Months' };

export interface EcaSpec {
  /** API (developer) name: letters, digits and single underscores, starting with a letter. */
  name: string;
  label: string;
  contactEmail: string;
  description?: string;
  /** Always Local: Packaged needs a packaging org, and sandboxes accept only Local. */
  distributionState: 'Local';
  callbackUrls: string[];
  /** OAuth scope names as sent to /authorize (`api`, `refresh_token`, …). */
  scopes: string[];
  requirePkce: boolean;
  requireSecretWebServer: boolean;
  requireSecretRefresh: boolean;
  refreshPolicy: EcaRefreshPolicy;
  rotateRefreshTokens: boolean;
  introspectAllTokens: boolean;
  /** Client credentials flow with its Run As username (policies file; UNCONFIRMED that it deploys). */
  clientCredentialsRunAs?: string;
  /** A PEM certificate: its presence enables the JWT bearer flow (global settings `certificate`). */
  jwtCertificatePem?: string;
  /**
   * Profiles whose users are pre-authorized (Permitted Users "Admin approved users are pre-authorized",
   * policies `permittedUsersPolicyType` + `commaSeparatedProfile`): the JWT bearer flow issues tokens
   * only to a user who approved the app before or is pre-authorized (docs/salesforce.md §16.2).
   */
  preAuthorizedProfiles?: string[];
}

export type EcaSpecInput = Pick<EcaSpec, 'name' | 'contactEmail'> & Partial<Omit<EcaSpec, 'name' | 'contactEmail'>>;

export const DEFAULT_ECA_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';

/**
 * Salesforce's 2026 requirements for partner apps (docs/salesforce.md §15): PKCE required and both
 * secrets required. Rotation is offered but off by default: with it on, every client must store each new
 * refresh token, which a shared CI secret cannot.
 */
export function ecaDefaults(name: string): Omit<EcaSpec, 'name' | 'contactEmail'> {
  return {
    label: name,
    distributionState: 'Local',
    callbackUrls: [DEFAULT_ECA_CALLBACK_URL],
    scopes: [...DEFAULT_SCOPES],
    requirePkce: true,
    requireSecretWebServer: true,
    requireSecretRefresh: true,
    refreshPolicy: { kind: 'infinite' },
    rotateRefreshTokens: false,
    introspectAllTokens: false,
  };
}

// ------------------------------------------------------------------------------------------ validation

/**
 * The developer-name rule Salesforce applies to API names: a letter first, then letters, digits and
 * underscores, no trailing underscore, no two underscores in a row. 34 characters leaves room for the
 * `_glbl`/`_oauth` member suffixes within the usual 40.
 */
export const MAX_ECA_NAME = 34;
const MAX_LABEL = 80;
const MAX_DESCRIPTION = 255;
const MAX_CALLBACKS = 20;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why `name` is not a valid API name, or undefined. */
export function apiNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.length > MAX_ECA_NAME) return `it is ${name.length} characters long; the limit is ${MAX_ECA_NAME}`;
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter';
  if (/[^A-Za-z0-9_]/.test(name)) return 'it may contain only letters (A–Z), digits and underscores';
  if (name.endsWith('_')) return 'it must not end with an underscore';
  if (name.includes('__')) return 'it must not contain two underscores in a row';
  return undefined;
}

/** A name suggestion from a label: `My CI app!` → `My_CI_app`. */
export function apiNameFromLabel(label: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, MAX_ECA_NAME)
    .replace(/_+$/, '');
  return base === '' ? 'sfoauth_app' : base;
}

function isUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, host } = new URL(value);
  if (protocol === 'http:' || protocol === 'https:') return host !== '';
  return value.startsWith(`${protocol}//`);
}

/** Every problem with a spec, as `field: message` lines (empty when valid). */
export function ecaSpecProblems(spec: EcaSpec): string[] {
  const issues: string[] = [];
  const nameProblem = apiNameProblem(spec.name);
  if (nameProblem) issues.push(`name: "${printable(spec.name)}" is not a valid API name: ${nameProblem}`);
  const text = (field: string, value: string | undefined, max: number, required: boolean) => {
    if (value === undefined || value.trim() === '') {
      if (required) issues.push(`${field}: is required`);
      return;
    }
    if (value.length > max) issues.push(`${field}: is ${value.length} characters long; the limit is ${max}`);
    if (CONTROL.test(value)) issues.push(`${field}: contains control characters`);
  };
  text('label', spec.label, MAX_LABEL, true);
  text('description', spec.description, MAX_DESCRIPTION, false);
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(spec.contactEmail) || spec.contactEmail.length > 254) {
    issues.push(`contactEmail: "${printable(spec.contactEmail)}" is not an email address`);
  }
  if (spec.callbackUrls.length === 0) issues.push('callbackUrls: at least one callback URL is needed for the web server flow');
  if (spec.callbackUrls.length > MAX_CALLBACKS) issues.push(`callbackUrls: at most ${MAX_CALLBACKS}`);
  spec.callbackUrls.forEach((u, i) => {
    if (!isUrl(u) || /[\s<>"]/.test(u)) issues.push(`callbackUrls[${i}]: "${printable(u)}" is not an absolute URL such as ${DEFAULT_ECA_CALLBACK_URL}`);
  });
  if (spec.scopes.length === 0) issues.push('scopes: at least one scope is needed');
  for (const s of spec.scopes) if (!metadataScopeName(s)) issues.push(`scopes: "${printable(s)}" has no External Client App scope name sfoauth knows`);
  const p = spec.refreshPolicy;
  if (p.kind === 'lifetime' && !(Number.isInteger(p.period) && p.period >= 1 && p.period <= 9999)) {
    issues.push('refreshPolicy.period: must be a whole number from 1 to 9999');
  }
  if (spec.clientCredentialsRunAs !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+$/.test(spec.clientCredentialsRunAs)) {
    issues.push('clientCredentialsRunAs: must be a Salesforce username (name@example.com)');
  }
  for (const profile of spec.preAuthorizedProfiles ?? []) {
    if (profile.trim() === '' || profile.length > MAX_LABEL || profile.includes(',') || CONTROL.test(profile)) {
      issues.push(`preAuthorizedProfiles: "${printable(profile)}" is not a profile name (1 to ${MAX_LABEL} characters, no commas)`);
    }
  }
  // Exactly one certificate of base64 lines: a private key pasted along with it must never reach the org.
  if (spec.jwtCertificatePem !== undefined && !/^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----$/.test(spec.jwtCertificatePem.trim())) {
    issues.push('jwtCertificatePem: must be one PEM certificate (-----BEGIN CERTIFICATE----- …), and nothing else (never a private key)');
  }
  return issues;
}

/** The spec with defaults filled in; throws UsageError listing every problem. */
export function resolveEcaSpec(input: EcaSpecInput): EcaSpec {
  const spec: EcaSpec = { ...ecaDefaults(input.name), ...definedOnly(input) } as EcaSpec;
  spec.scopes = [...new Set(spec.scopes)];
  const issues = ecaSpecProblems(spec);
  if (issues.length > 0) {
    throw new UsageError(`The External Client App settings are invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`, {
      hint: `API names follow Salesforce's rule: start with a letter; letters, digits and single underscores; no trailing underscore; at most ${MAX_ECA_NAME} characters (e.g. ${apiNameFromLabel(input.label ?? input.name)}).`,
    });
  }
  return spec;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** For messages: no control characters, bounded length. */
function printable(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

// -------------------------------------------------------------------------------------------- scopes

/**
 * OAuth scope → the `ConnectedAppOauthAccessScope` value used in `commaSeparatedOauthScopes`
 * (Metadata API ConnectedApp page; the retrieved ECA in docs/salesforce.md §14.5 shows `Api, Web, OpenID`).
 */
const METADATA_SCOPES: Readonly<Record<string, string>> = {
  api: 'Api',
  refresh_token: 'RefreshToken',
  offline_access: 'RefreshToken',
  web: 'Web',
  full: 'Full',
  id: 'Basic',
  openid: 'OpenID',
  profile: 'Profile',
  email: 'Email',
  address: 'Address',
  phone: 'Phone',
  visualforce: 'CustomApplications',
  chatter_api: 'Chatter',
  custom_permissions: 'CustomPermissions',
  wave_api: 'Wave',
  eclair_api: 'Eclair',
  pardot_api: 'Pardot',
  lightning: 'Lightning',
  content: 'Content',
  cdp_ingest_api: 'CDPIngest',
};

export function metadataScopeName(scope: string): string | undefined {
  return Object.hasOwn(METADATA_SCOPES, scope) ? METADATA_SCOPES[scope] : undefined;
}

/** The inverse, for the emulator and doctor: `Api` → `api`, `RefreshToken` → `refresh_token`. */
export function oauthScopeFromMetadata(name: string): string | undefined {
  const hit = Object.entries(METADATA_SCOPES).find(([, v]) => v.toLowerCase() === name.trim().toLowerCase());
  return hit?.[0];
}

// ----------------------------------------------------------------------------------------------- XML

/**
 * Text for an XML element: the five special characters as entities, and characters XML 1.0 cannot
 * carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF) dropped.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type XmlValue = string | boolean | number | undefined;

/** One metadata document: `<Root xmlns=…>` with one element per defined field, in the order given. */
export function metadataXml(root: string, fields: ReadonlyArray<readonly [string, XmlValue]>): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<${root} xmlns="${METADATA_NAMESPACE}">`];
  for (const [name, value] of fields) if (value !== undefined) lines.push(`    <${name}>${escapeXml(String(value))}</${name}>`);
  lines.push(`</${root}>`, '');
  return lines.join('\n');
}

// --------------------------------------------------------------------------------------------- files

/** One metadata type as it appears in a deploy: folder, suffix and member name (docs/salesforce.md §14.1). */
export interface EcaComponent {
  type: string;
  folder: string;
  suffix: string;
  member: string;
}

export interface MetadataFile {
  /** Path inside the deploy zip (mdapi layout), e.g. `externalClientApps/My_App.eca`. */
  path: string;
  content: string;
}

export const ECA_TYPES = {
  header: { type: 'ExternalClientApplication', folder: 'externalClientApps', suffix: 'eca' },
  oauth: { type: 'ExtlClntAppOauthSettings', folder: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
  global: { type: 'ExtlClntAppGlobalOauthSettings', folder: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
  policies: { type: 'ExtlClntAppOauthConfigurablePolicies', folder: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
} as const;

/**
 * The components sfoauth deploys. Salesforce generates the OAuth policies on deploy (docs/salesforce.md
 * §14.5), so a policies file goes in only when a setting lives there and nowhere else: a refresh token
 * policy other than the generated default, or a client-credentials Run As user.
 */
export function ecaComponents(spec: EcaSpec): EcaComponent[] {
  const list: EcaComponent[] = [
    { ...ECA_TYPES.header, member: spec.name },
    { ...ECA_TYPES.oauth, member: `${spec.name}_oauth` },
    { ...ECA_TYPES.global, member: `${spec.name}_glbl` },
  ];
  if (needsPolicies(spec)) list.push({ ...ECA_TYPES.policies, member: `${spec.name}_plcy` });
  return list;
}

function needsPolicies(spec: EcaSpec): boolean {
  return spec.refreshPolicy.kind !== 'infinite' || spec.clientCredentialsRunAs !== undefined || (spec.preAuthorizedProfiles?.length ?? 0) > 0;
}

/** "66" or "66.0" or "v66.0" → "66.0"; throws below the ECA minimum. */
export function metadataApiVersion(version: string | number): string {
  const m = /^v?(\d{2,3})(?:\.0)?$/.exec(String(version).trim());
  const major = m?.[1] ? Number(m[1]) : NaN;
  if (!(major >= MIN_ECA_METADATA_VERSION)) {
    throw new UsageError(`API version ${String(version)} cannot deploy External Client Apps: they need ${MIN_ECA_METADATA_VERSION}.0 (Winter '24) or later.`);
  }
  return `${major}.0`;
}

/** package.xml and the component files, in mdapi (deploy zip) layout. */
export function ecaMetadataFiles(spec: EcaSpec, apiVersion: string | number): MetadataFile[] {
  const version = metadataApiVersion(apiVersion);
  const components = ecaComponents(spec);
  const files = components.map((c) => ({ path: `${c.folder}/${c.member}.${c.suffix}`, content: componentXml(spec, c) }));
  return [{ path: 'package.xml', content: packageXml(components, version) }, ...files];
}

export function packageXml(components: readonly EcaComponent[], version: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<Package xmlns="${METADATA_NAMESPACE}">`];
  for (const c of components) {
    lines.push('    <types>', `        <members>${escapeXml(c.member)}</members>`, `        <name>${c.type}</name>`, '    </types>');
  }
  lines.push(`    <version>${escapeXml(version)}</version>`, '</Package>', '');
  return lines.join('\n');
}

function componentXml(spec: EcaSpec, c: EcaComponent): string {
  switch (c.type) {
    case ECA_TYPES.header.type:
      return metadataXml(c.type, [
        ['contactEmail', spec.contactEmail],
        ['description', spec.description],
        ['distributionState', spec.distributionState],
        ['isProtected', false],
        ['label', spec.label],
      ]);
    case ECA_TYPES.oauth.type:
      return metadataXml(c.type, [
        ['commaSeparatedOauthScopes', [...new Set(spec.scopes.map((s) => metadataScopeName(s)))].join(', ')],
        ['externalClientApplication', spec.name],
        ['label', `${spec.label} OAuth settings`.slice(0, MAX_LABEL)],
        // oauthLink is generated; Salesforce advises leaving it out of a deploy (docs/salesforce.md §14.3).
      ]);
    case ECA_TYPES.global.type:
      return metadataXml(c.type, [
        // One URL per line, as the Setup field takes them (UNCONFIRMED for metadata; docs/create.md).
        ['callbackUrl', spec.callbackUrls.join('\n')],
        ['certificate', spec.jwtCertificatePem?.trim()],
        ['externalClientApplication', spec.name],
        ['isClientCredentialsFlowEnabled', spec.clientCredentialsRunAs !== undefined],
        ['isCodeCredFlowEnabled', false],
        ['isConsumerSecretOptional', !spec.requireSecretWebServer],
        ['isDeviceFlowEnabled', false],
        ['isIntrospectAllTokens', spec.introspectAllTokens],
        // JWT-format access tokens for named users: another feature than the JWT bearer flow, which the certificate enables.
        ['isNamedUserJwtEnabled', false],
        ['isPkceRequired', spec.requirePkce],
        ['isRefreshTokenRotationEnabled', spec.rotateRefreshTokens],
        ['isSecretRequiredForRefreshToken', spec.requireSecretRefresh],
        ['isTokenExchangeEnabled', false],
        ['label', `${spec.label} global OAuth settings`.slice(0, MAX_LABEL)],
        ['shouldRotateConsumerKey', false],
        ['shouldRotateConsumerSecret', false],
      ]);
    default:
      return metadataXml(c.type, [
        ['clientCredentialsFlowUser', spec.clientCredentialsRunAs],
        ['commaSeparatedProfile', spec.preAuthorizedProfiles?.length ? spec.preAuthorizedProfiles.join(',') : undefined],
        ['externalClientApplication', spec.name],
        ['ipRelaxationPolicyType', 'Enforce'],
        ['isClientCredentialsFlowEnabled', spec.clientCredentialsRunAs !== undefined],
        ['label', `${spec.name}_plcy`],
        ['permittedUsersPolicyType', spec.preAuthorizedProfiles?.length ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized'],
        ...refreshPolicyFields(spec.refreshPolicy),
      ]);
  }
}

/** `refreshTokenPolicyType` values as in the retrieved default policy (docs/salesforce.md §14.5). */
function refreshPolicyFields(p: EcaRefreshPolicy): Array<readonly [string, XmlValue]> {
  if (p.kind === 'lifetime') {
    return [
      ['refreshTokenPolicyType', 'SpecificLifetime'],
      ['refreshTokenValidityPeriod', p.period],
      ['refreshTokenValidityUnit', p.unit],
    ];
  }
  return [['refreshTokenPolicyType', p.kind === 'infinite' ? 'Infinite' : 'Immediately']];
}
