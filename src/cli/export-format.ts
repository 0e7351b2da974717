/** The three shapes of `sfoauth export`. Secrets go through mask() unless the caller asked for them. */
import { mask } from './io.js';
import type { Profile } from '../core/config/profile.js';
import { nangoIntegrationFor } from '../core/salesforce/org-kind.js';

/** Nango's integration names for the two environments. */
export const nangoIntegration = nangoIntegrationFor;

export function formatExport(name: string, p: Profile, format: 'env' | 'json' | 'nango', includeSecrets: boolean): string[] {
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
  }
}

/** Single-quote a value for POSIX shells and dotenv files when it has anything unusual in it. */
function shellQuote(v: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
