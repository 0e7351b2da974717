/** The running emulator's state, shared by every route. */
import type { EmulatorApp } from './apps.js';
import type { EcaRegistry } from './eca-registry.js';
import { isPropagating } from './apps.js';
import type { FaultState } from './faults.js';
import type { IdTokenSigner } from './id-token.js';
import type { OrgType } from './org.js';
import type { AccessRecord, TokenStore } from './store.js';
import type { EmulatorUser } from './users.js';

export interface OrgInfo {
  /** 18-character `00D…` id. */
  id: string;
  /** The My Domain name (what would precede `.my.salesforce.com`). */
  myDomain: string;
  /** developer, production, sandbox or scratch: decides the Organization record. */
  type: OrgType;
  /** Sandboxes and scratch orgs (IsSandbox): the login host acts as test.salesforce.com. */
  sandbox: boolean;
  /** Epoch milliseconds; a scratch org's TrialExpirationDate counts from here. */
  createdAt: number;
}

export interface EmulatorContext {
  loginUrl: string;
  instanceUrl: string;
  org: OrgInfo;
  /** The person who logs in on the emulator's pages. */
  user: EmulatorUser;
  /** Every user of the org, by id (the login user and any Run As users). */
  users: Map<string, EmulatorUser>;
  /** By client id. */
  apps: Map<string, EmulatorApp>;
  faults: FaultState;
  store: TokenStore;
  autoApprove: boolean;
  idTokens: IdTokenSigner;
  /** REST calls made today, reported in `Sforce-Limit-Info` and the limits resource. */
  api: { used: number; max: number };
  now(): number;
  /** The newest API version the org lists and serves (default LATEST_API_VERSION; lower for "API too old"). */
  maxApiVersion: number;
  /** External Client Apps deployed as metadata, and the deploys (docs/create.md). */
  metadata: EcaRegistry;
  /** Finds (or creates) the user with this username, as a Run As integration user. */
  userByUsername(username: string, create: boolean): EmulatorUser | undefined;
}

/** The app, if the client id is known and its settings have propagated; otherwise `invalid_client_id`. */
export function liveApp(ctx: EmulatorContext, clientId: string | null | undefined): EmulatorApp | undefined {
  if (!clientId) return undefined;
  const app = ctx.apps.get(clientId);
  return app && !isPropagating(app, ctx.now()) ? app : undefined;
}

/** The access token's record, if it was issued, is not revoked and has not expired. Scope checks are the caller's. */
export function liveAccess(ctx: EmulatorContext, token: string | undefined): AccessRecord | undefined {
  const access = token ? ctx.store.accessTokens.get(token) : undefined;
  return access && !access.revoked && access.expiresAt > ctx.now() ? access : undefined;
}

/**
 * `<login host>/id/<orgId18>/<userId18>`. Salesforce puts login.salesforce.com (or test.) here; the
 * emulator names its own login host so clients that follow the URL (jsforce's identity(), the sf CLI)
 * reach it (docs/interop.md "The emulator for these clients").
 */
export function identityUrl(ctx: EmulatorContext, user: { id: string }): string {
  return `${ctx.loginUrl}/id/${ctx.org.id}/${user.id}`;
}

/**
 * Whether this user may use the Metadata API (Modify Metadata or Modify All Data): the login user is the
 * org's administrator, unless `noModifyMetadata` takes it away; Run As integration users never may.
 */
export function mayModifyMetadata(ctx: EmulatorContext, userId: string): boolean {
  return userId === ctx.user.id && !ctx.faults.noModifyMetadata;
}
