/**
 * External Client Apps created through the emulator's Metadata API deploy (docs/create.md): the deploys
 * and their outcome, and each created app's ids, linked to the OAuth app (ctx.apps) that the authorize
 * and token endpoints use. Ids carry Salesforce-like prefixes: `0Af` deploys and `888` OAuth consumers
 * as seen in public examples (docs/salesforce.md §14.5, §14.6); `0xI` for the app is the emulator's own.
 */
import { UsageError } from '../errors.js';
import { randomAlnum, toId18 } from './ids.js';

export interface ComponentResult {
  componentType: string;
  fullName: string;
  fileName: string;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  lineNumber?: number;
}

export interface DeployRecord {
  id: string;
  createdAt: number;
  /** Emulator clock time at which the status turns from InProgress to its outcome. */
  doneAt: number;
  status: 'Succeeded' | 'Failed';
  successes: ComponentResult[];
  failures: ComponentResult[];
  /** The deploy options as sent, echoed back like Salesforce does. */
  deployOptions: Record<string, unknown>;
  /** Whole-deploy failure (bad zip, no package.xml). */
  errorMessage?: string;
}

export interface DeployedEca {
  developerName: string;
  label: string;
  /** The app's identifier in apps/oauth/usage. */
  appId: string;
  /** The OAuth consumer (`888…`), when the app has global OAuth settings. */
  consumerId?: string;
  consumerName?: string;
  /** The Consumer Key: the client id in ctx.apps. */
  clientId?: string;
  /** Listed once its deploy is done. */
  listedFrom: number;
  /**
   * The member (full) name of each of its components by metadata type, for listMetadata/readMetadata;
   * the OAuth policies are there even when not deployed, as Salesforce generates them.
   */
  members: Record<string, string>;
}

export interface EcaRegistry {
  deploys: Map<string, DeployRecord>;
  /** By developer name, lower case (Salesforce names are case-insensitive). */
  ecas: Map<string, DeployedEca>;
  /** How long a deploy stays InProgress. */
  deployMs: number;
  /** How long a deployed app answers `invalid_client_id` after its deploy is done ("up to 10 minutes"). */
  propagationMs: number;
}

/** The deployed apps whose deploy is done: what listMetadata, readMetadata and the apps/oauth API show. */
export function listedEcas(ctx: { metadata: EcaRegistry; now: () => number }): DeployedEca[] {
  return [...ctx.metadata.ecas.values()].filter((e) => ctx.now() >= e.listedFrom);
}

/** More deploys than any test makes; the oldest are forgotten beyond it, so memory stays bounded. */
export const MAX_DEPLOYS = 500;

export function createEcaRegistry(opts: { deployMs?: number | undefined; propagationMs?: number | undefined } = {}): EcaRegistry {
  const ms = (value: number | undefined, fallback: number, what: string) => {
    if (value === undefined) return fallback;
    if (!(Number.isFinite(value) && value >= 0 && value <= 600_000)) throw new UsageError(`${what} must be 0 to 600000 milliseconds.`);
    return value;
  };
  return { deploys: new Map(), ecas: new Map(), deployMs: ms(opts.deployMs, 300, 'deployMs'), propagationMs: ms(opts.propagationMs, 0, 'deployedAppPropagationMs') };
}

/** An 18-character id with this key prefix and the org's pod. */
export function newId(prefix: '0Af' | '0xI' | '888', orgId: string): string {
  return toId18(`${prefix}${orgId.slice(3, 5)}00000${randomAlnum(5)}`);
}

export function rememberDeploy(registry: EcaRegistry, record: DeployRecord): void {
  registry.deploys.set(record.id, record);
  while (registry.deploys.size > MAX_DEPLOYS) {
    const oldest = registry.deploys.keys().next().value;
    if (oldest === undefined) break;
    registry.deploys.delete(oldest);
  }
}
