/** The shapes of `sfoauth export`. Secrets go through mask() unless the caller asked for them. */
import { UsageError } from '../errors.js';
import { mask } from './io.js';
import { refreshTokenOf, type Profile } from '../core/config/profile.js';
import { nangoIntegrationFor } from '../core/salesforce/org-kind.js';
import { shellQuote } from '../core/shell-quote.js';

/** Nango's integration names for the two environments. */
export const nangoIntegration = nangoIntegrationFor;

/** Nango's integration for a profile: its flow's, or the environment's for the web-server flow. */
export function nangoIntegrationOf(p: Profile): string {
  return p.flow === 'client-credentials' ? 'salesforce-cc' : p.flow === 'jwt-bearer' ? 'salesforce-jwt' : nangoIntegration(p.env);
}

export type ExportFormat = 'env' | 'json' | 'nango' | 'sfdx-url';

export function formatExport(name: string, p: Profile, format: ExportFormat, includeSecrets: boolean): string[] {
  const secret = (v: string | undefined) => (includeSecrets ? (v ?? '') : mask(v));
  switch (format) {
    case 'env': {
      const vars: [string, string | undefined][] = [
        ['SFOAUTH_ENV', p.env],
        ['SFOAUTH_LOGIN_URL', p.loginUrl],
        ['SFOAUTH_INSTANCE_URL', p.instanceUrl],
        ...(p.flow === 'web-server' ? [] : ([['SFOAUTH_FLOW', p.flow]] as [string, string][])),
        ['SFOAUTH_CLIENT_ID', p.clientId],
        ['SFOAUTH_CLIENT_SECRET', p.clientSecret === undefined ? undefined : secret(p.clientSecret)],
        ['SFOAUTH_REFRESH_TOKEN', refreshTokenOf(p) === undefined ? undefined : secret(refreshTokenOf(p))],
        // The key's path, never the key: in CI, put the PEM in SFOAUTH_PRIVATE_KEY instead.
        ...(p.flow === 'jwt-bearer'
          ? ([
              ['SFOAUTH_USERNAME', p.username],
              ['SFOAUTH_PRIVATE_KEY_FILE', p.privateKeyFile],
            ] as [string, string][])
          : []),
      ];
      const lines = vars.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${shellQuote(v!)}`);
      return includeSecrets ? lines : ['# secrets masked; pass --include-secrets to print them', ...lines];
    }
    case 'json':
      return [
        JSON.stringify(
          {
            profile: name,
            ...p,
            ...(p.clientSecret !== undefined ? { clientSecret: secret(p.clientSecret) } : {}),
            ...(refreshTokenOf(p) !== undefined ? { refreshToken: secret(refreshTokenOf(p)) } : {}),
          },
          null,
          2,
        ),
      ];
    case 'nango':
      return [JSON.stringify(nangoExport(p, secret), null, 2)];
    case 'sfdx-url':
      return [sfdxAuthUrl(p, includeSecrets)];
  }
}

/**
 * The values for Nango's integration of the profile's flow (docs/salesforce.md §17): `salesforce` or
 * `salesforce-sandbox` for the web-server flow; `salesforce-cc` (connection config `hostname`, the My
 * Domain host) and `salesforce-jwt` (`authorizationUrl` = the aud host, `username`, and the private key
 * pasted from the file, which sfoauth never prints).
 */
function nangoExport(p: Profile, secret: (v: string | undefined) => string): Record<string, unknown> {
  switch (p.flow) {
    case 'client-credentials':
      return {
        integration: 'salesforce-cc',
        clientId: p.clientId,
        clientSecret: secret(p.clientSecret),
        connectionConfig: { hostname: new URL(p.loginUrl).host },
      };
    case 'jwt-bearer':
      return {
        integration: 'salesforce-jwt',
        clientId: p.clientId,
        connectionConfig: { authorizationUrl: new URL(p.audience).host, username: p.username },
        privateKey: `the PEM content of ${p.privateKeyFile} (not printed by sfoauth)`,
      };
    case 'web-server':
      return {
        integration: nangoIntegration(p.env),
        clientId: p.clientId,
        clientSecret: p.clientSecret === undefined ? null : secret(p.clientSecret),
        scopes: p.scopes,
        callbackUrlsRegistered: [p.callbackUrl, ...p.extraCallbackUrls],
        connectionConfig: { instance_url: p.instanceUrl ?? null },
      };
  }
}

/**
 * The Salesforce CLI's auth URL, `force://<clientId>:<clientSecret>:<refreshToken>@<instance host>`, for
 * `sf org login sfdx-url` (docs/interop.md "Handing over to the Salesforce CLI"). The CLI reads each
 * part with a narrow character class and puts https:// before the host, so a value it cannot read is
 * refused here rather than handed over broken. It is the whole credential: only with --include-secrets.
 */
export function sfdxAuthUrl(p: Profile, includeSecrets: boolean): string {
  if (!includeSecrets) {
    throw new UsageError('--format sfdx-url is the refresh token itself, so it is only printed with --include-secrets.', {
      hint: 'sfoauth export --format sfdx-url --include-secrets --output auth-url.txt, then sf org login sfdx-url --sfdx-url-file auth-url.txt',
    });
  }
  const refreshToken = refreshTokenOf(p);
  if (!refreshToken) throw new UsageError(p.flow === 'web-server' ? 'This profile has no refresh token, which an sfdx-url needs.' : `The ${p.flow} flow has no refresh token, which an sfdx-url needs.`, { hint: 'Run `sfoauth init` again with the refresh_token scope.' });
  if (!p.instanceUrl) throw new UsageError('This profile has no instance URL, which an sfdx-url needs.', { hint: 'Run `sfoauth init` again.' });
  const host = new URL(p.instanceUrl).host;
  const parts: [string, string, RegExp][] = [
    ['consumer key', p.clientId, /^[A-Za-z0-9._-]+={0,2}$/],
    ['consumer secret', p.clientSecret ?? '', /^[A-Za-z0-9._-]*={0,2}$/],
    ['refresh token', refreshToken, /^[A-Za-z0-9._-]+={0,2}$/],
    ['instance host', host, /^[A-Za-z0-9:._-]+$/],
  ];
  for (const [what, value, pattern] of parts) {
    if (!pattern.test(value)) {
      throw new UsageError(`The profile's ${what} has characters the Salesforce CLI's sfdx-url cannot carry.`, {
        hint: 'Log the CLI in another way (sf org login web), or use --format env.',
      });
    }
  }
  return `force://${p.clientId}:${p.clientSecret ?? ''}:${refreshToken}@${host}`;
}
