/** The running emulator's state, shared by every route. */
import type { EmulatorApp } from './apps.js';
import { isPropagating } from './apps.js';
import type { FaultState } from './faults.js';
import type { IdTokenSigner } from './id-token.js';
import type { TokenStore } from './store.js';
import type { EmulatorUser } from './users.js';

export interface OrgInfo {
  /** 18-character `00D…` id. */
  id: string;
  /** The My Domain name (what would precede `.my.salesforce.com`). */
  myDomain: string;
  sandbox: boolean;
}

export interface EmulatorContext {
  loginUrl: string;
  instanceUrl: string;
  /** Where identity URLs point: https://login.salesforce.com, or https://test.salesforce.com for a sandbox. */
  identityOrigin: string;
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
  /** Finds (or creates) the user with this username, as a Run As integration user. */
  userByUsername(username: string, create: boolean): EmulatorUser | undefined;
}

/** The app, if the client id is known and its settings have propagated; otherwise `invalid_client_id`. */
export function liveApp(ctx: EmulatorContext, clientId: string | null | undefined): EmulatorApp | undefined {
  if (!clientId) return undefined;
  const app = ctx.apps.get(clientId);
  return app && !isPropagating(app, ctx.now()) ? app : undefined;
}

/** `https://login.salesforce.com/id/<orgId18>/<userId18>` (test.salesforce.com for a sandbox). */
export function identityUrl(ctx: EmulatorContext, user: EmulatorUser): string {
  return `${ctx.identityOrigin}/id/${ctx.org.id}/${user.id}`;
}
