/**
 * The names `--env` and SFOAUTH_ENV accept, in one table: hosts.ts normalizes them, and the CLI's
 * unknown-option guess points `--sandbox` or `--prod` at `--env`. No imports at run time, because the
 * guess is on the start-up path (docs/architecture.md "Performance budgets").
 */
import type { Environment } from './profile.js';

/** Lower-case name → environment. Nango's integration names too: `salesforce` is production, `salesforce-sandbox` a sandbox. */
export const ENVIRONMENT_ALIASES: Readonly<Record<string, Environment>> = {
  production: 'production',
  prod: 'production',
  salesforce: 'production',
  sandbox: 'sandbox',
  'salesforce-sandbox': 'sandbox',
};

/** The environment a lower-case name stands for, else undefined (own keys only: `constructor` is no name). */
export function environmentAlias(name: string): Environment | undefined {
  return Object.hasOwn(ENVIRONMENT_ALIASES, name) ? ENVIRONMENT_ALIASES[name] : undefined;
}
