/**
 * The kinds of org the emulator can act as, and the Organization record each one has (docs/interop.md
 * "Org kinds"). Salesforce reports a sandbox and a scratch org with IsSandbox = true; a Developer
 * Edition org is not a sandbox (it logs in at login.salesforce.com, Nango integration `salesforce`).
 * A scratch org also carries a TrialExpirationDate.
 */
export const ORG_TYPES = ['developer', 'production', 'sandbox', 'scratch'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

interface OrgKind {
  /** Organization.OrganizationType. */
  edition: string;
  isSandbox: boolean;
  /** Organization.InstanceName (the pod). */
  instanceName: string;
  /** Suffix of the default My Domain name, following Salesforce's enhanced-domain names. */
  myDomainSuffix: string;
  /** Days until the org expires (scratch orgs only). */
  trialDays?: number;
}

const KINDS: Record<OrgType, OrgKind> = {
  developer: { edition: 'Developer Edition', isSandbox: false, instanceName: 'USA570', myDomainSuffix: '-dev-ed' },
  production: { edition: 'Enterprise Edition', isSandbox: false, instanceName: 'USA566', myDomainSuffix: '' },
  sandbox: { edition: 'Enterprise Edition', isSandbox: true, instanceName: 'USA568S', myDomainSuffix: '--sandbox' },
  scratch: { edition: 'Developer Edition', isSandbox: true, instanceName: 'USA574S', myDomainSuffix: '-scratch', trialDays: 7 },
};

export function isOrgType(value: string): value is OrgType {
  return (ORG_TYPES as readonly string[]).includes(value);
}

/** Sandboxes and scratch orgs log in at test.salesforce.com. */
export function orgIsSandbox(type: OrgType): boolean {
  return KINDS[type].isSandbox;
}

export function defaultMyDomain(type: OrgType): string {
  return `sfoauth-emulator${KINDS[type].myDomainSuffix}`;
}

/** The Organization sObject's fields the emulator serves, in Salesforce's spelling. */
export function organizationRecord(org: { id: string; type: OrgType; createdAt: number }): Record<string, string | boolean | null> {
  const kind = KINDS[org.type];
  const trial = kind.trialDays === undefined ? null : new Date(org.createdAt + kind.trialDays * 86_400_000).toISOString().replace(/Z$/, '+0000');
  return {
    Id: org.id,
    Name: 'sfoauth emulator org',
    IsSandbox: kind.isSandbox,
    OrganizationType: kind.edition,
    InstanceName: kind.instanceName,
    TrialExpirationDate: trial,
    NamespacePrefix: null,
    DefaultLocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    TimeZoneSidKey: 'America/Los_Angeles',
    Country: 'US',
    IsReadOnly: false,
  };
}
