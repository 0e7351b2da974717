/**
 * Which environment an org belongs to, from what the org says (its Organization record), and the
 * warning when the user chose the other one (docs/interop.md "Org kinds"). IsSandbox decides: a
 * sandbox or scratch org logs in at test.salesforce.com and uses Nango's `salesforce-sandbox`; a
 * production or Developer Edition org uses login.salesforce.com and `salesforce`. Host names are only
 * the fallback (hosts.ts), for tokens that may not read the Organization record.
 */
import type { Environment } from '../config/profile.js';
import type { OrgRecord } from './api.js';

export function nangoIntegrationFor(env: Environment): 'salesforce' | 'salesforce-sandbox' {
  return env === 'sandbox' ? 'salesforce-sandbox' : 'salesforce';
}

export function environmentOfOrg(org: Pick<OrgRecord, 'isSandbox'>): Environment {
  return org.isSandbox ? 'sandbox' : 'production';
}

const isDeveloperEdition = (org: OrgRecord) => /developer edition/i.test(org.edition ?? '');

/** "a Developer Edition org", "a scratch org", "a sandbox org", "a production org". */
export function describeOrg(org: OrgRecord): string {
  // Scratch orgs are sandboxes that expire; a full or partial sandbox has no trial date.
  if (org.isSandbox) return org.trialExpirationDate !== undefined ? 'a scratch org' : 'a sandbox org';
  return isDeveloperEdition(org) ? 'a Developer Edition org' : 'a production org';
}

/** One line for summaries: `Developer Edition, not a sandbox, instance USA570` (init puts it in parentheses). */
export function orgSummary(org: OrgRecord): string {
  const instance = org.instanceName ? `, instance ${org.instanceName}` : '';
  return `${org.edition ?? 'unknown edition'}, ${org.isSandbox ? 'sandbox' : 'not a sandbox'}${instance}`;
}

export interface EnvironmentMismatch {
  /** What the org is, e.g. "a Developer Edition org (IsSandbox = false), and a Developer Edition org is not a sandbox". */
  what: string;
  /** The environment to use instead. */
  env: Environment;
  /** `--env X; in Nango use the Y integration`. */
  fix: string;
}

/** Undefined when the chosen environment is the org's. */
export function environmentMismatch(chosen: Environment, org: OrgRecord): EnvironmentMismatch | undefined {
  const env = environmentOfOrg(org);
  if (env === chosen) return undefined;
  const notSandbox = chosen === 'sandbox' && isDeveloperEdition(org) ? ', and a Developer Edition org is not a sandbox' : '';
  const edition = org.edition && !isDeveloperEdition(org) ? `${org.edition}; ` : '';
  return {
    what: `${describeOrg(org)} (${edition}IsSandbox = ${org.isSandbox})${notSandbox}`,
    env,
    fix: `--env ${env}; in Nango use the ${nangoIntegrationFor(env)} integration`,
  };
}

/** The Organization record as `test --json` and `init --json` show it (null when it could not be read). */
export function orgJson(org: OrgRecord | undefined): unknown {
  if (!org) return null;
  return {
    id: org.id ?? null,
    name: org.name ?? null,
    edition: org.edition ?? null,
    isSandbox: org.isSandbox,
    instanceName: org.instanceName ?? null,
    trialExpirationDate: org.trialExpirationDate ?? null,
  };
}
