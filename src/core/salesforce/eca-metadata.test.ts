import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import {
  apiNameFromLabel,
  apiNameProblem,
  ecaComponents,
  ecaMetadataFiles,
  escapeXml,
  metadataApiVersion,
  METADATA_NAMESPACE,
  oauthScopeFromMetadata,
  resolveEcaSpec,
  type EcaSpecInput,
} from './eca-metadata.js';
import { buildDeployZip } from './eca-package.js';

const BASE: EcaSpecInput = { name: 'My_CI_App', contactEmail: 'dev@example.com' };
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });

function parsed(files: { path: string; content: string }[], path: string): Record<string, unknown> {
  const file = files.find((f) => f.path === path);
  expect(file, path).toBeDefined();
  expect(XMLValidator.validate(file!.content)).toBe(true);
  return parser.parse(file!.content) as Record<string, unknown>;
}

describe('resolveEcaSpec', () => {
  it("fills Salesforce's 2026 defaults: PKCE and both secrets required, Local, api + refresh_token", () => {
    const spec = resolveEcaSpec(BASE);
    expect(spec).toMatchObject({
      label: 'My_CI_App',
      distributionState: 'Local',
      callbackUrls: ['http://localhost:1717/OauthRedirect'],
      scopes: ['api', 'refresh_token'],
      requirePkce: true,
      requireSecretWebServer: true,
      requireSecretRefresh: true,
      refreshPolicy: { kind: 'infinite' },
      rotateRefreshTokens: false,
      introspectAllTokens: false,
    });
  });

  it.each([
    ['', 'empty'],
    ['1app', 'start with a letter'],
    ['my-app', 'letters'],
    ['my app', 'letters'],
    ['app_', 'end with an underscore'],
    ['my__app', 'two underscores'],
    ['a'.repeat(35), 'limit is 34'],
    ['app<x>', 'letters'],
  ])('refuses the API name %j and says why', (name, why) => {
    expect(apiNameProblem(name)).toContain(why);
    expect(() => resolveEcaSpec({ ...BASE, name })).toThrow(UsageError);
  });

  it('lists every problem at once, with a name suggestion in the hint', () => {
    let err: unknown;
    try {
      resolveEcaSpec({ name: 'bad name', contactEmail: 'nope', label: 'Bad name!', callbackUrls: ['localhost:1717/cb'], scopes: ['nonsense'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const { message, hint } = err as UsageError;
    expect(message).toContain('name:');
    expect(message).toContain('contactEmail:');
    expect(message).toContain('callbackUrls[0]:');
    expect(message).toContain('scopes:');
    expect(hint).toContain('Bad_name');
  });

  it('refuses control characters in the label and description, and never echoes them', () => {
    let message = '';
    try {
      resolveEcaSpec({ ...BASE, label: 'ok\u001b[31mred', description: 'x\u0007' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('label: contains control characters');
    expect(message).toContain('description: contains control characters');
    expect(message).not.toMatch(/\u001b|\u0007/);
  });

  it('suggests API names from labels', () => {
    expect(apiNameFromLabel('My CI app!')).toBe('My_CI_app');
    expect(apiNameFromLabel('42 things')).toBe('things');
    expect(apiNameFromLabel('***')).toBe('sfoauth_app');
    expect(apiNameProblem(apiNameFromLabel('x'.repeat(100) + ' y'))).toBeUndefined();
  });
});

describe('escapeXml', () => {
  it('escapes the five specials and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0008c\u001fd\ufffe\ud800e')).toBe('abcde');
    expect(escapeXml('tab\there\nline')).toBe('tab\there\nline');
    expect(escapeXml('emoji 😀')).toBe('emoji 😀');
  });
});

describe('ecaMetadataFiles', () => {
  it('writes package.xml and the three ECA files in mdapi layout, each with its root element and namespace', () => {
    const files = ecaMetadataFiles(resolveEcaSpec(BASE), '66.0');
    expect(files.map((f) => f.path)).toEqual([
      'package.xml',
      'externalClientApps/My_CI_App.eca',
      'extlClntAppOauthSettings/My_CI_App_oauth.ecaOauth',
      'extlClntAppGlobalOauthSets/My_CI_App_glbl.ecaGlblOauth',
    ]);
    const roots: Record<string, string> = {
      'package.xml': 'Package',
      'externalClientApps/My_CI_App.eca': 'ExternalClientApplication',
      'extlClntAppOauthSettings/My_CI_App_oauth.ecaOauth': 'ExtlClntAppOauthSettings',
      'extlClntAppGlobalOauthSets/My_CI_App_glbl.ecaGlblOauth': 'ExtlClntAppGlobalOauthSettings',
    };
    for (const [path, root] of Object.entries(roots)) {
      const doc = parsed(files, path);
      const el = doc[root] as Record<string, unknown>;
      expect(el, `${path} root`).toBeDefined();
      expect(el['@_xmlns']).toBe(METADATA_NAMESPACE);
    }
    const pkg = parsed(files, 'package.xml').Package as { types: { members: string; name: string }[]; version: string };
    expect(pkg.version).toBe('66.0');
    expect(pkg.types.map((t) => [t.name, t.members])).toEqual([
      ['ExternalClientApplication', 'My_CI_App'],
      ['ExtlClntAppOauthSettings', 'My_CI_App_oauth'],
      ['ExtlClntAppGlobalOauthSettings', 'My_CI_App_glbl'],
    ]);
  });

  it('carries the settings into the fields Salesforce reads, and never a key, secret or oauthLink', () => {
    const spec = resolveEcaSpec({
      ...BASE,
      description: 'CI',
      callbackUrls: ['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback'],
      scopes: ['api', 'refresh_token', 'openid'],
      requirePkce: false,
      requireSecretRefresh: false,
      rotateRefreshTokens: true,
      introspectAllTokens: true,
    });
    const files = ecaMetadataFiles(spec, 'v62.0');
    const header = parsed(files, 'externalClientApps/My_CI_App.eca').ExternalClientApplication as Record<string, string>;
    expect(header).toMatchObject({ contactEmail: 'dev@example.com', description: 'CI', distributionState: 'Local', label: 'My_CI_App', isProtected: 'false' });
    const oauth = parsed(files, 'extlClntAppOauthSettings/My_CI_App_oauth.ecaOauth').ExtlClntAppOauthSettings as Record<string, string>;
    expect(oauth.commaSeparatedOauthScopes).toBe('Api, RefreshToken, OpenID');
    expect(oauth.externalClientApplication).toBe('My_CI_App');
    expect(oauth).not.toHaveProperty('oauthLink');
    const global = parsed(files, 'extlClntAppGlobalOauthSets/My_CI_App_glbl.ecaGlblOauth').ExtlClntAppGlobalOauthSettings as Record<string, string>;
    expect(global).toMatchObject({
      callbackUrl: 'http://localhost:1717/OauthRedirect\nhttps://api.nango.dev/oauth/callback',
      externalClientApplication: 'My_CI_App',
      isPkceRequired: 'false',
      isSecretRequiredForRefreshToken: 'false',
      isConsumerSecretOptional: 'false',
      isRefreshTokenRotationEnabled: 'true',
      isIntrospectAllTokens: 'true',
      isClientCredentialsFlowEnabled: 'false',
    });
    expect(global).not.toHaveProperty('consumerKey');
    expect(global).not.toHaveProperty('consumerSecret');
    expect(global).not.toHaveProperty('certificate');
  });

  it('adds the policies file only for a non-default refresh policy or a Run As user', () => {
    expect(ecaComponents(resolveEcaSpec(BASE)).map((c) => c.type)).not.toContain('ExtlClntAppOauthConfigurablePolicies');
    const spec = resolveEcaSpec({ ...BASE, refreshPolicy: { kind: 'lifetime', period: 30, unit: 'Days' }, clientCredentialsRunAs: 'ci@example.com' });
    const files = ecaMetadataFiles(spec, 66);
    const policy = parsed(files, 'extlClntAppOauthPolicies/My_CI_App_plcy.ecaOauthPlcy').ExtlClntAppOauthConfigurablePolicies as Record<string, string>;
    expect(policy).toMatchObject({
      refreshTokenPolicyType: 'SpecificLifetime',
      refreshTokenValidityPeriod: '30',
      refreshTokenValidityUnit: 'Days',
      clientCredentialsFlowUser: 'ci@example.com',
      isClientCredentialsFlowEnabled: 'true',
    });
    const global = parsed(files, 'extlClntAppGlobalOauthSets/My_CI_App_glbl.ecaGlblOauth').ExtlClntAppGlobalOauthSettings as Record<string, string>;
    expect(global.isClientCredentialsFlowEnabled).toBe('true');
  });

  it('pre-authorized profiles (the JWT bearer flow) go into the policies: Admin approved users, comma-separated profiles', () => {
    const files = ecaMetadataFiles(resolveEcaSpec({ ...BASE, preAuthorizedProfiles: ['System Administrator', 'CI & <Bots>'] }), '66.0');
    const policy = parsed(files, 'extlClntAppOauthPolicies/My_CI_App_plcy.ecaOauthPlcy').ExtlClntAppOauthConfigurablePolicies as Record<string, string>;
    expect(policy).toMatchObject({ permittedUsersPolicyType: 'AdminApprovedPreAuthorized', commaSeparatedProfile: 'System Administrator,CI & <Bots>' });
    expect(() => resolveEcaSpec({ ...BASE, preAuthorizedProfiles: ['a,b'] })).toThrow(/preAuthorizedProfiles/);
    expect(() => resolveEcaSpec({ ...BASE, preAuthorizedProfiles: [' '] })).toThrow(/preAuthorizedProfiles/);
  });

  it('keeps hostile labels and descriptions as text: the XML still parses and reads back the same', () => {
    const hostile = `</label><consumerSecret>x</consumerSecret> & "q" 'a' <![CDATA[ ]]> <!-- -->`;
    const files = ecaMetadataFiles(resolveEcaSpec({ ...BASE, label: hostile.slice(0, 80), description: hostile }), '66.0');
    const header = parsed(files, 'externalClientApps/My_CI_App.eca').ExternalClientApplication as Record<string, string>;
    expect(header.label).toBe(hostile.slice(0, 80));
    expect(header.description).toBe(hostile);
    expect(Object.keys(header)).not.toContain('consumerSecret');
    for (const f of files) expect(XMLValidator.validate(f.content), f.path).toBe(true);
  });

  it('a JWT certificate goes into the global settings as PEM text; anything else is refused', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
    const files = ecaMetadataFiles(resolveEcaSpec({ ...BASE, jwtCertificatePem: pem }), '66.0');
    const global = parsed(files, 'extlClntAppGlobalOauthSets/My_CI_App_glbl.ecaGlblOauth').ExtlClntAppGlobalOauthSettings as Record<string, string>;
    expect(global.certificate).toBe(pem.trim());
    expect(global.isNamedUserJwtEnabled).toBe('false');
    expect(() => resolveEcaSpec({ ...BASE, jwtCertificatePem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' })).toThrow(/jwtCertificatePem/);
    const withKey = `${pem}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n${pem}`;
    expect(() => resolveEcaSpec({ ...BASE, jwtCertificatePem: withKey })).toThrow(/never a private key/);
  });

  it('refuses API versions before 59.0', () => {
    expect(() => metadataApiVersion('58.0')).toThrow(/59\.0/);
    expect(() => metadataApiVersion('latest')).toThrow(UsageError);
    expect(metadataApiVersion('v60.0')).toBe('60.0');
  });

  it('maps metadata scope names back to OAuth scopes', () => {
    expect(oauthScopeFromMetadata(' api ')).toBe('api');
    expect(oauthScopeFromMetadata('RefreshToken')).toBe('refresh_token');
    expect(oauthScopeFromMetadata('__proto__')).toBeUndefined();
  });
});

describe('buildDeployZip', () => {
  it('zips the files at their mdapi paths; unzipping gives the same bytes', async () => {
    const files = ecaMetadataFiles(resolveEcaSpec(BASE), '66.0');
    const zip = await buildDeployZip(files);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) expect(new TextDecoder().decode(entries[f.path])).toBe(f.content);
    expect(await buildDeployZip(files)).toEqual(zip); // reproducible
  });

  it('refuses paths that could leave the zip root, duplicates, and an empty package', async () => {
    await expect(buildDeployZip([{ path: '../x.xml', content: '' }])).rejects.toThrow(RangeError);
    await expect(buildDeployZip([{ path: '/abs.xml', content: '' }])).rejects.toThrow(RangeError);
    await expect(buildDeployZip([{ path: 'a/b/c.xml', content: '' }])).rejects.toThrow(RangeError);
    await expect(buildDeployZip([{ path: 'package.xml', content: '' }, { path: 'package.xml', content: '' }])).rejects.toThrow(/Two files/);
    await expect(buildDeployZip([])).rejects.toThrow(RangeError);
  });
});
