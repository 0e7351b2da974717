/** The shapes of `sfoauth export`. Secrets go through mask() unless the caller asked for them. */
import { UsageError } from '../errors.js';
import { mask } from './io.js';
import type { Profile } from '../core/config/profile.js';
import { nangoIntegrationFor } from '../core/salesforce/org-kind.js';
import { shellQuote } from '../core/shell-quote.js';

/** Nango's integration names for the two environments. */
export const nangoIntegration = nangoIntegrationFor;

export type ExportFormat = 'env' | 'json' | 'nango' | 'sfdx-url';

export function formatExport(name: string, p: Profile, format: ExportFormat, includeSecrets: boolean): string[] {
  const secret = (v: string | undefined) => (includeSecrets ? (v ?? '') : mask(v));
  switch (format) {
    case 'env': {
      const vars: [string, string | undefined][] = [
        ['SFOAUTH_ENV', p.env],
        ['SFOAUTH_LOGIN_URL', p.loginUrl],
        ['SFOAUTH_INSTANCE_URL', p.instanceUrl],
        ['SFOAUTH_CLIENT_ID', p.clientId],
        ['SFOAUTH_CLIENT_SECRET', p.clientSecret === undefined ? undefined : secret(p.clientSecret)],
        ['SFOAUTH_REFRESH_TOKEN', p.refreshToken === undefined ? undefined : secret(p.refreshToken)],
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
            ...(p.refreshToken !== undefined ? { refreshToken: secret(p.refreshToken) } : {}),
          },
          null,
          2,
        ),
      ];
    case 'nango':
      return [
        JSON.stringify(
          {
            integration: nangoIntegration(p.env),
            clientId: p.clientId,
            clientSecret: p.clientSecret === undefined ? null : secret(p.clientSecret),
            scopes: p.scopes,
            callbackUrlsRegistered: [p.callbackUrl, ...p.extraCallbackUrls],
            connectionConfig: { instance_url: p.instanceUrl ?? null },
          },
          null,
          2,
        ),
      ];
    case 'sfdx-url':
      return [sfdxAuthUrl(p, includeSecrets)];
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
  if (!p.refreshToken) throw new UsageError('This profile has no refresh token, which an sfdx-url needs.', { hint: 'Run `sfoauth init` again with the refresh_token scope.' });
  if (!p.instanceUrl) throw new UsageError('This profile has no instance URL, which an sfdx-url needs.', { hint: 'Run `sfoauth init` again.' });
  const host = new URL(p.instanceUrl).host;
  const parts: [string, string, RegExp][] = [
    ['consumer key', p.clientId, /^[A-Za-z0-9._-]+={0,2}$/],
    ['consumer secret', p.clientSecret ?? '', /^[A-Za-z0-9._-]*={0,2}$/],
    ['refresh token', p.refreshToken, /^[A-Za-z0-9._-]+={0,2}$/],
    ['instance host', host, /^[A-Za-z0-9:._-]+$/],
  ];
  for (const [what, value, pattern] of parts) {
    if (!pattern.test(value)) {
      throw new UsageError(`The profile's ${what} has characters the Salesforce CLI's sfdx-url cannot carry.`, {
        hint: 'Log the CLI in another way (sf org login web), or use --format env.',
      });
    }
  }
  return `force://${p.clientId}:${p.clientSecret ?? ''}:${p.refreshToken}@${host}`;
}
