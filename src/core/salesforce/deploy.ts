/**
 * The Metadata REST deploy (docs/salesforce.md §14.6, docs/create.md): POST a multipart body (JSON deploy
 * options in `entity_content`, the zip in `file`) to /services/data/vXX.X/metadata/deployRequest, then
 * poll deployRequest/{id}?includeDetails=true until it is done, within a bound.
 * Errors: SalesforceError when Salesforce refuses the request, DeployFailedError when components fail,
 * DeployTimeoutError when the bound passes first, BadResponseError for answers that are not Salesforce's.
 */
import { BadResponseError, ERROR_CODES, SalesforceError, SfOAuthError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import type { Clock } from '../ports.js';
import type { HttpClient, HttpResponse } from '../http/request.js';
import { errorFromResponse, expectJson } from './errors-parse.js';
import { metadataApiVersion } from './eca-metadata.js';

/**
 * What sfoauth asks of the deploy: all or nothing, one package, no Apex tests (an ECA has no code), and
 * never a silent partial success.
 */
export const DEPLOY_OPTIONS = {
  allowMissingFiles: false,
  autoUpdatePackage: false,
  checkOnly: false,
  ignoreWarnings: false,
  performRetrieve: false,
  purgeOnDelete: false,
  rollbackOnError: true,
  singlePackage: true,
  testLevel: 'NoTestRun',
} as const;

export type DeployOptions = { [K in keyof typeof DEPLOY_OPTIONS]: (typeof DEPLOY_OPTIONS)[K] extends boolean ? boolean : string };

export interface MultipartBody {
  contentType: string;
  data: Uint8Array;
}

/**
 * The deployRequest body. The part names follow jsforce's deployRest (`entity_content`, `file`); the
 * official sample's wording is UNCONFIRMED (docs/salesforce.md §14.6). `boundary` must not occur in the
 * payload; the default is random.
 */
export function deployMultipart(zip: Uint8Array, options: Partial<DeployOptions> = {}, boundary = randomBoundary()): MultipartBody {
  if (!/^[A-Za-z0-9'()+_,.\/:=?-]{1,70}$/.test(boundary)) throw new RangeError('Not a valid multipart boundary.');
  const json = JSON.stringify({ deployOptions: { ...DEPLOY_OPTIONS, ...options } });
  const head =
    `--${boundary}\r\n` +
    'Content-Disposition: form-data; name="entity_content"\r\n' +
    'Content-Type: application/json\r\n\r\n' +
    `${json}\r\n` +
    `--${boundary}\r\n` +
    'Content-Disposition: form-data; name="file"; filename="deploy.zip"\r\n' +
    'Content-Type: application/zip\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const enc = new TextEncoder();
  if (Buffer.from(zip).includes(`--${boundary}`)) throw new RangeError('The multipart boundary occurs in the zip; use another.');
  const data = Buffer.concat([enc.encode(head), zip, enc.encode(tail)]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function randomBoundary(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `----sfoauth${Buffer.from(bytes).toString('hex')}`;
}

// ------------------------------------------------------------------------------------------ requests

function deployUrl(instanceUrl: string, version: string, id?: string): string {
  const base = `${instanceUrl.replace(/\/+$/, '')}/services/data/v${metadataApiVersion(version)}/metadata/deployRequest`;
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}?includeDetails=true`;
}

/** A deploy id: `0Af` and 15 or 18 characters in all. */
const DEPLOY_ID = /^0Af[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/**
 * Starts a deploy; returns its id. Not idempotent: a POST that timed out may still have started a deploy,
 * and sending it again would start a second.
 */
export async function startDeploy(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string; zip: Uint8Array; options?: Partial<DeployOptions>; timeoutMs?: number },
): Promise<string> {
  const url = deployUrl(p.instanceUrl, p.version);
  const body = deployMultipart(p.zip, p.options);
  const res = await http.request({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${p.accessToken}` },
    body,
    idempotent: false,
    timeoutMs: p.timeoutMs ?? 60_000,
  });
  if (res.status !== 200 && res.status !== 201 && res.status !== 202) throw errorFromResponse(res, 'rest', url);
  const o = jsonObject(res, url);
  const id = typeof o.id === 'string' ? o.id : undefined;
  if (id === undefined || !DEPLOY_ID.test(id)) {
    throw new BadResponseError(`The deploy request to ${new URL(url).host} was accepted without a deploy id.`, { status: res.status });
  }
  return id;
}

export type DeployState = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
const STATES: readonly DeployState[] = ['Pending', 'InProgress', 'Succeeded', 'SucceededPartial', 'Failed', 'Canceling', 'Canceled'];
const TERMINAL: readonly DeployState[] = ['Succeeded', 'SucceededPartial', 'Failed', 'Canceled'];

export interface ComponentFailure {
  componentType?: string;
  fullName?: string;
  fileName?: string;
  problem: string;
  /** `Error` or `Warning`. */
  problemType?: string;
  lineNumber?: number;
}

export interface DeployStatus {
  id: string;
  status: DeployState;
  done: boolean;
  success: boolean;
  componentsTotal?: number;
  componentsDeployed?: number;
  componentErrors?: number;
  failures: ComponentFailure[];
  /** Set when the whole deploy failed without component detail (e.g. a bad zip). */
  errorMessage?: string;
  errorStatusCode?: string;
}

/** One status read; `id` the deploy id from startDeploy. */
export async function getDeployStatus(http: HttpClient, p: { instanceUrl: string; accessToken: string; version: string; id: string }): Promise<DeployStatus> {
  if (!DEPLOY_ID.test(p.id)) throw new RangeError('Not a deploy id.');
  const url = deployUrl(p.instanceUrl, p.version, p.id);
  const res = await http.request({ method: 'GET', url, headers: { authorization: `Bearer ${p.accessToken}` }, idempotent: true });
  if (res.status !== 200) throw errorFromResponse(res, 'rest', url);
  return parseDeployStatus(jsonObject(res, url), res.status, new URL(url).host);
}

function jsonObject(res: HttpResponse, url: string): Record<string, unknown> {
  const body = expectJson(res, 'rest', url);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadResponseError(`${new URL(url).host} answered the deploy request with JSON that is not an object.`, { status: res.status });
  }
  return body as Record<string, unknown>;
}

/** Text from the network for messages: control characters become spaces, trimmed, cut to `max` with "...". */
export function clipText(s: string, max: number): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

/** A string field of an answer as message text, or undefined when absent or blank. */
function text(v: unknown, max = 500): string | undefined {
  if (typeof v !== 'string') return undefined;
  const clean = clipText(v, max);
  return clean === '' ? undefined : clean;
}

function count(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** SOAP-derived answers give a lone item as an object and several as an array. */
function list(v: unknown): Record<string, unknown>[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object' && !Array.isArray(i)).slice(0, 200);
}

function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Reads `{id, deployResult: {status, done, success, numberComponents…, details: {componentFailures}}}`
 * (docs/salesforce.md §14.6).
 */
export function parseDeployStatus(body: Record<string, unknown>, status = 200, host = 'Salesforce'): DeployStatus {
  const r = body.deployResult;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    throw new BadResponseError(`The deploy status from ${host} has no deployResult.`, { status });
  }
  const result = r as Record<string, unknown>;
  const state = STATES.find((s) => s === result.status);
  if (state === undefined) throw new BadResponseError(`The deploy status from ${host} has an unknown status.`, { status });
  const id = text(body.id, 18) ?? text(result.id, 18) ?? '';
  const details = result.details !== null && typeof result.details === 'object' ? (result.details as Record<string, unknown>) : {};
  const failures: ComponentFailure[] = list(details.componentFailures).map((f) => {
    const failure: ComponentFailure = { problem: text(f.problem) ?? 'no reason given' };
    put(failure, 'componentType', text(f.componentType, 80));
    put(failure, 'fullName', text(f.fullName, 120));
    put(failure, 'fileName', text(f.fileName, 200));
    put(failure, 'problemType', text(f.problemType, 20));
    put(failure, 'lineNumber', count(f.lineNumber));
    return failure;
  });
  const done = result.done === true || result.done === 'true' || TERMINAL.includes(state);
  const out: DeployStatus = {
    id,
    status: state,
    done,
    success: state === 'Succeeded' && (result.success === undefined || result.success === true || result.success === 'true'),
    failures,
  };
  put(out, 'componentsTotal', count(result.numberComponentsTotal));
  put(out, 'componentsDeployed', count(result.numberComponentsDeployed));
  put(out, 'componentErrors', count(result.numberComponentErrors));
  put(out, 'errorMessage', text(result.errorMessage));
  put(out, 'errorStatusCode', text(result.errorStatusCode, 80));
  return out;
}

// ------------------------------------------------------------------------------------------- polling

/** The components failed (or the deploy failed as a whole). Exit 1; the catalog explains the first problem. */
export class DeployFailedError extends SalesforceError {
  readonly deploy: DeployStatus;
  constructor(deploy: DeployStatus) {
    const first = deploy.failures[0];
    super('rest', 'SFOAUTH_DEPLOY_FAILED', first?.problem ?? deploy.errorMessage ?? `the deploy ended ${deploy.status}`);
    this.deploy = deploy;
    const lines = deploy.failures.slice(0, 10).map((f) => `  - ${[f.componentType, f.fileName ?? f.fullName].filter(Boolean).join(' ')}: ${f.problem}`);
    const more = deploy.failures.length > 10 ? [`  … and ${deploy.failures.length - 10} more`] : [];
    this.message = [`The deploy ${deploy.id} ended ${deploy.status}${deploy.errorMessage ? `: ${deploy.errorMessage}` : ''}.`, ...lines, ...more].join('\n');
  }
}

/** The bound passed while Salesforce was still deploying. Exit 3 (a timeout); the deploy may still finish. */
export class DeployTimeoutError extends SfOAuthError {
  readonly deployId: string;
  constructor(deployId: string, waitedMs: number, last: DeployState) {
    super(`The deploy ${deployId} was still ${last} after ${Math.round(waitedMs / 1000)} s; sfoauth stopped waiting.`, ERROR_CODES.TIMEOUT, EXIT.NETWORK, {
      hint: `It may still finish: check Setup → Quick Find "Deployment Status" for ${deployId} before deploying again.`,
    });
    this.deployId = deployId;
  }
}

export interface PollOptions {
  http: HttpClient;
  clock: Clock;
  instanceUrl: string;
  accessToken: string;
  version: string;
  id: string;
  /** Between reads; default 2000 ms, doubling up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** The whole wait; default 10 minutes. */
  timeoutMs?: number;
  /** Called after every read, for a progress display. */
  onProgress?: (status: DeployStatus, elapsedMs: number) => void;
  signal?: AbortSignal;
}

/** Polls until the deploy is done; returns a successful status or throws (see the module comment). */
export async function pollDeploy(o: PollOptions): Promise<DeployStatus> {
  const started = o.clock.now();
  const timeoutMs = o.timeoutMs ?? 600_000;
  const maxInterval = o.maxIntervalMs ?? 10_000;
  let interval = o.intervalMs ?? 2000;
  for (;;) {
    const status = await getDeployStatus(o.http, o);
    const elapsed = o.clock.now() - started;
    o.onProgress?.(status, elapsed);
    if (status.done) {
      if (!status.success) throw new DeployFailedError(status);
      return status;
    }
    if (elapsed + interval > timeoutMs) throw new DeployTimeoutError(o.id, elapsed, status.status);
    await o.clock.sleep(interval, o.signal);
    interval = Math.min(interval * 2, maxInterval);
  }
}
