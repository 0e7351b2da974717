/**
 * Reading a new External Client App's Consumer Key and Secret back over Connect REST (docs/salesforce.md
 * §14.4, docs/create.md): apps/oauth/usage → apps/oauth/credentials/{appId} → …/{consumerId}?part=keyandsecret.
 * The response field names come from working client code, not the reference (UNCONFIRMED).
 * The org setting being off and each missing permission become a CredentialsAccessError with its own
 * catalog code, so the user is told where to turn it on (error-catalog.ts "External Client Apps as metadata").
 */
import { BadResponseError, SalesforceError } from '../../errors.js';
import type { HttpClient } from '../http/request.js';
import { restGet } from './api.js';
import { MIN_CREDENTIALS_API_VERSION } from './eca-metadata.js';

export interface OauthApp {
  identifier: string;
  developerName: string;
  label?: string;
}

export interface OauthConsumer {
  id: string;
  name?: string;
}

export interface AppCredentials {
  appId: string;
  consumerId: string;
  consumerKey: string;
  consumerSecret: string;
}

/** Why the credentials could not be read; each has a catalog entry of the same code. */
export type CredentialsGap = 'secret-api-off' | 'developer-permission' | 'view-secret-permission';

export const GAP_CODES: Readonly<Record<CredentialsGap, string>> = {
  'secret-api-off': 'SFOAUTH_ECA_SECRET_REST_API_OFF',
  'developer-permission': 'SFOAUTH_ECA_DEVELOPER_PERMISSION_MISSING',
  'view-secret-permission': 'SFOAUTH_ECA_VIEW_SECRET_PERMISSION_MISSING',
};

/**
 * A known gap between this user and org and the credentials API. The code is sfoauth's (Salesforce's own
 * code and wording for these refusals are UNCONFIRMED); Salesforce's code and text ride along.
 */
export class CredentialsAccessError extends SalesforceError {
  readonly gap: CredentialsGap;
  readonly salesforceCode: string;
  constructor(gap: CredentialsGap, cause: SalesforceError) {
    super('rest', GAP_CODES[gap], cause.errorDescription ?? cause.error, { status: cause.status, cause });
    this.gap = gap;
    this.salesforceCode = cause.error;
    const what =
      gap === 'secret-api-off'
        ? 'the org does not allow reading External Client App consumer secrets through the REST API'
        : gap === 'developer-permission'
          ? 'the user may not read External Client App credentials (the "External Client App Developer" permission is missing)'
          : 'the user may not see consumer secrets (the "View Client Secret" permission is missing)';
    this.message = `Salesforce would not return the app's credentials: ${what} (${cause.error}).`;
  }
}

type Step = 'usage' | 'consumers' | 'secret';

/**
 * Which gap a refusal means. The "not enabled" texts are the ones a public client recognises
 * (docs/salesforce.md §14.4); a bare permission refusal is told apart by the step it happened at: listing
 * apps or consumers needs "External Client App Developer", the secret needs "View Client Secret".
 */
export function classifyCredentialsRefusal(err: SalesforceError, step: Step): CredentialsGap | undefined {
  if (err.status !== 401 && err.status !== 403 && err.status !== 400) return undefined;
  if (err.error === 'INVALID_SESSION_ID' || err.error === 'INVALID_AUTH_HEADER' || err.error === 'REQUEST_LIMIT_EXCEEDED') return undefined;
  const text = `${err.error} ${err.errorDescription ?? ''}`.toLowerCase();
  const settingOff = /not currently enabled|feature is not enabled|functionality_not_enabled|rest api access to consumer secrets|consumer secrets? (?:via|through) (?:the )?rest/.test(text);
  if (settingOff && !/for this user/.test(text)) return 'secret-api-off';
  const permission = /insufficient_access|insufficient access|not enabled for this user|permission|not authorized|api_disabled_for_org/.test(text);
  if (!permission && !settingOff) return undefined;
  if (/view client secret|client secret/.test(text)) return 'view-secret-permission';
  if (/external client app developer/.test(text)) return 'developer-permission';
  return step === 'secret' ? 'view-secret-permission' : 'developer-permission';
}

function credentialsVersion(version: string): string {
  const major = Number(/^v?(\d+)/.exec(version.trim())?.[1]);
  if (!(major >= MIN_CREDENTIALS_API_VERSION)) {
    throw new RangeError(`The credentials API needs version ${MIN_CREDENTIALS_API_VERSION}.0 or later, not ${version}.`);
  }
  return `${major}.0`;
}

async function getObject(http: HttpClient, p: { instanceUrl: string; accessToken: string; path: string }, step: Step): Promise<Record<string, unknown>> {
  try {
    const { body, status } = await restGet(http, p);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadResponseError(`The ${step} answer from ${new URL(p.instanceUrl).host} is not a JSON object.`, { status });
    }
    return body as Record<string, unknown>;
  } catch (err) {
    if (err instanceof SalesforceError) {
      const gap = classifyCredentialsRefusal(err, step);
      if (gap) throw new CredentialsAccessError(gap, err);
    }
    throw err;
  }
}

const str = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
const objects = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object' && !Array.isArray(i)) : [];
/** Ids go into URL paths: a conservative identifier shape (record ids in practice; UNCONFIRMED). */
const RECORD_ID = /^[A-Za-z0-9_.:-]{1,80}$/;

/** `GET apps/oauth/usage`, every page (bounded), as {identifier, developerName, label}. */
export async function listOauthApps(http: HttpClient, p: { instanceUrl: string; accessToken: string; version: string }): Promise<OauthApp[]> {
  const v = credentialsVersion(p.version);
  const apps: OauthApp[] = [];
  for (let page = 0; page < 20; page++) {
    const o = await getObject(http, { ...p, path: `/services/data/v${v}/apps/oauth/usage?page=${page}&pageSize=100` }, 'usage');
    const items = objects(o.apps);
    for (const a of items) {
      const identifier = str(a, 'identifier');
      const developerName = str(a, 'developerName');
      if (identifier === undefined || developerName === undefined) continue;
      const app: OauthApp = { identifier, developerName };
      const label = str(a, 'label');
      if (label !== undefined) app.label = label;
      apps.push(app);
    }
    if (items.length < 100) break;
  }
  return apps;
}

/** `GET apps/oauth/credentials/{appId}` → its consumers. */
export async function listConsumers(http: HttpClient, p: { instanceUrl: string; accessToken: string; version: string; appId: string }): Promise<OauthConsumer[]> {
  if (!RECORD_ID.test(p.appId)) throw new BadResponseError('The app identifier Salesforce gave has an unexpected shape.');
  const o = await getObject(http, { ...p, path: `/services/data/v${credentialsVersion(p.version)}/apps/oauth/credentials/${encodeURIComponent(p.appId)}` }, 'consumers');
  return objects(o.consumers).flatMap((c) => {
    const id = str(c, 'id');
    if (id === undefined || !RECORD_ID.test(id)) return [];
    const name = str(c, 'name');
    return [name === undefined ? { id } : { id, name }];
  });
}

/** `GET …/{consumerId}?part=keyandsecret`. The secret is only ever returned, never logged or put in a message. */
export async function getKeyAndSecret(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string; appId: string; consumerId: string },
): Promise<{ key: string; secret: string }> {
  if (!RECORD_ID.test(p.appId) || !RECORD_ID.test(p.consumerId)) throw new BadResponseError('The app or consumer identifier Salesforce gave has an unexpected shape.');
  const path = `/services/data/v${credentialsVersion(p.version)}/apps/oauth/credentials/${encodeURIComponent(p.appId)}/${encodeURIComponent(p.consumerId)}?part=keyandsecret`;
  const o = await getObject(http, { ...p, path }, 'secret');
  const key = str(o, 'key');
  const secret = str(o, 'secret');
  if (key === undefined || secret === undefined || /\s/.test(key) || /\s/.test(secret)) {
    throw new BadResponseError(`The credentials answer from ${new URL(p.instanceUrl).host} has no key and secret.`);
  }
  return { key, secret };
}

/**
 * The whole read-back for the app whose API name is `developerName`. Undefined when the app is not
 * listed yet (a new app may take a moment to appear; the caller retries or waits).
 */
export async function readAppCredentials(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string; developerName: string },
): Promise<AppCredentials | undefined> {
  const apps = await listOauthApps(http, p);
  const app = apps.find((a) => a.developerName.toLowerCase() === p.developerName.toLowerCase());
  if (!app) return undefined;
  const consumers = await listConsumers(http, { ...p, appId: app.identifier });
  const consumer = consumers[0];
  if (!consumer) return undefined;
  const { key, secret } = await getKeyAndSecret(http, { ...p, appId: app.identifier, consumerId: consumer.id });
  return { appId: app.identifier, consumerId: consumer.id, consumerKey: key, consumerSecret: secret };
}
