/**
 * `sfoauth create`'s look at the deploying user's permissions before anything is deployed
 * (docs/create.md §8, docs/salesforce.md §19). One SOQL query over REST: the permission sets assigned
 * to the user, profile-owned ones included, with the system permissions a metadata deploy needs. A
 * refusal of the query itself (no "View Setup and Configuration", an org that hides PermissionSet) is
 * not a verdict: the caller says so and lets the deploy speak.
 */
import { BadResponseError, ERROR_CODES, SalesforceError, SfOAuthError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import type { HttpClient } from '../http/request.js';
import { restGet } from './api.js';
import { clipText } from './deploy.js';

/** The PermissionSet fields read, and what Setup calls them. */
export const DEPLOY_PERMISSION_FIELDS = {
  PermissionsModifyAllData: 'Modify All Data',
  PermissionsModifyMetadata: 'Modify Metadata Through Metadata API Functions',
  PermissionsCustomizeApplication: 'Customize Application',
} as const;

export type DeployPermissionField = keyof typeof DEPLOY_PERMISSION_FIELDS;

export interface PermissionGap {
  /** What is missing, in Setup's words. */
  permission: string;
  /** Whether the deploy is refused for it (documented), or only likely to fail (a warning). */
  blocking: boolean;
  why: string;
  fix: string;
}

export type PermissionCheck =
  | { ran: true; userId: string; granted: string[]; gaps: PermissionGap[] }
  | { ran: false; reason: string };

/** Record ids go into the query: exactly 15 or 18 letters and digits (a user id starts with 005). */
const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

export function permissionQuery(userId: string): string {
  if (!USER_ID.test(userId)) throw new RangeError('Not a user id.');
  const fields = Object.keys(DEPLOY_PERMISSION_FIELDS).join(', ');
  return `SELECT ${fields} FROM PermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${userId}')`;
}

/**
 * Pure: the gaps, from the union of the user's permission sets. The Metadata API needs Modify All Data
 * or Modify Metadata Through Metadata API Functions (Metadata API guide, deploy() and readMetadata()
 * "Permissions"); that gap refuses. Customize Application is what Setup's app managers ask for; that an
 * External Client App deploy needs it is UNCONFIRMED, so its gap is only a warning.
 */
export function permissionGaps(has: Readonly<Record<DeployPermissionField, boolean>>): PermissionGap[] {
  const where = "Setup → Users → the deploying user → Permission Set Assignments (or the System Permissions of the user's profile)";
  const gaps: PermissionGap[] = [];
  if (!has.PermissionsModifyAllData && !has.PermissionsModifyMetadata) {
    gaps.push({
      permission: `${DEPLOY_PERMISSION_FIELDS.PermissionsModifyMetadata} (or ${DEPLOY_PERMISSION_FIELDS.PermissionsModifyAllData})`,
      blocking: true,
      why: 'the Metadata API deploys only for a user with one of them',
      fix: `assign a permission set with "${DEPLOY_PERMISSION_FIELDS.PermissionsModifyMetadata}" in ${where}, or deploy as an administrator`,
    });
  }
  if (!has.PermissionsCustomizeApplication && !has.PermissionsModifyAllData) {
    gaps.push({
      permission: DEPLOY_PERMISSION_FIELDS.PermissionsCustomizeApplication,
      blocking: false,
      why: 'creating apps in Setup asks for it; the deploy may be refused without it',
      fix: `assign a permission set with "${DEPLOY_PERMISSION_FIELDS.PermissionsCustomizeApplication}" in ${where}`,
    });
  }
  return gaps;
}

/** The user id at the end of the identity URL the version's resource list names (`…/id/<org>/<user>`). */
async function currentUserId(http: HttpClient, p: { instanceUrl: string; accessToken: string; version: string }): Promise<string> {
  const { body, status } = await restGet(http, { ...p, path: `/services/data/v${p.version}/` });
  const identity = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).identity : undefined;
  const id = typeof identity === 'string' ? /\/id\/[A-Za-z0-9]{15,18}\/([A-Za-z0-9]{15,18})\/?$/.exec(identity)?.[1] : undefined;
  if (id === undefined || !USER_ID.test(id)) throw new BadResponseError(`The REST resource list of ${new URL(p.instanceUrl).host} names no identity URL with a user id.`, { status });
  return id;
}

/**
 * Runs the check. An expired token (401) is thrown: the deploy would fail the same way. Any other
 * refusal or odd answer is `{ran: false}` with the reason.
 */
export async function checkDeployPermissions(http: HttpClient, p: { instanceUrl: string; accessToken: string; version: string }): Promise<PermissionCheck> {
  let userId: string;
  let records: unknown;
  try {
    userId = await currentUserId(http, p);
    const path = `/services/data/v${p.version}/query?q=${encodeURIComponent(permissionQuery(userId))}`;
    const { body } = await restGet(http, { ...p, path });
    records = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).records : undefined;
  } catch (err) {
    if (err instanceof SalesforceError && err.status === 401) throw err;
    if (err instanceof SalesforceError) return { ran: false, reason: `Salesforce refused the permission query: ${err.error}${err.errorDescription ? ` ${clipText(err.errorDescription, 200)}` : ''}` };
    if (err instanceof BadResponseError) return { ran: false, reason: err.message };
    throw err;
  }
  if (!Array.isArray(records)) return { ran: false, reason: 'the permission query answered without records' };
  const has = Object.fromEntries(
    Object.keys(DEPLOY_PERMISSION_FIELDS).map((f) => [f, records.some((r) => r !== null && typeof r === 'object' && (r as Record<string, unknown>)[f] === true)]),
  ) as Record<DeployPermissionField, boolean>;
  const granted = (Object.keys(DEPLOY_PERMISSION_FIELDS) as DeployPermissionField[]).filter((f) => has[f]).map((f) => DEPLOY_PERMISSION_FIELDS[f]);
  return { ran: true, userId, granted, gaps: permissionGaps(has) };
}

/** The deploy would be refused: exit 1 with the fix for each gap. */
export class DeployPermissionError extends SfOAuthError {
  readonly gaps: PermissionGap[];
  constructor(who: string, gaps: PermissionGap[]) {
    super(
      [`${who} may not deploy the app: the user lacks`, ...gaps.map((g) => `  - ${g.permission}: ${g.why}`)].join('\n'),
      ERROR_CODES.CHECK_FAILED,
      EXIT.REFUSED,
      { hint: gaps.map((g) => `${g.fix[0]!.toUpperCase()}${g.fix.slice(1)}.`).join('\n') },
    );
    this.gaps = gaps;
  }
}
