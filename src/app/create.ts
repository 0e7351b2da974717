/**
 * The create use case (docs/create.md): build an External Client App's metadata, deploy it with a token
 * of an org admin, read the minted Consumer Key and Secret back, then hand them to init's verification
 * (propagation wait, browser login, checks) which saves the profile. Progress goes to `progress` as plain
 * lines; the command renders the result.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CancelledError, SalesforceError, UsageError } from '../errors.js';
import { httpClientOf, type HttpClient } from '../core/http/request.js';
import { latestVersion, listRestVersions } from '../core/salesforce/api.js';
import {
  ECA_TYPES,
  MIN_CREDENTIALS_API_VERSION,
  MIN_ECA_METADATA_VERSION,
  ecaComponents,
  ecaMetadataFiles,
  resolveEcaSpec,
  type EcaSpec,
  type MetadataFile,
} from '../core/salesforce/eca-metadata.js';
import { pollDeploy, startDeploy, type DeployStatus } from '../core/salesforce/deploy.js';
import { checkDeployPermissions, DeployPermissionError } from '../core/salesforce/deploy-permissions.js';
import { CredentialsAccessError, readAppCredentials, type AppCredentials } from '../core/salesforce/app-credentials-api.js';
import { explainFailure, failureOf } from '../core/salesforce/explain-failure.js';
import type { ProfileStore } from '../core/config/store.js';
import type { Flow } from '../core/config/profile.js';
import type { Deps } from '../deps.js';
import { runInit, type InitDeps, type InitResult } from './init.js';
import type { InitOptions } from './init-options.js';
import { freshToken } from './token.js';
import { whileWaiting } from './waiting.js';

/** Who deploys: a token on stdin, an sfoauth profile (refreshed through the locked path), or the Salesforce CLI. */
export type Deployer =
  | { kind: 'token'; instanceUrl: string; accessToken: string }
  | { kind: 'profile'; profile: string; configDir?: string | undefined }
  | { kind: 'sf-cli'; targetOrg: string };

/** init's options for the verification login, without the credentials create mints. */
export type VerifyOptions = Omit<InitOptions, 'clientId' | 'clientSecret' | 'callbackUrl' | 'extraCallbackUrls' | 'scopes' | 'loginUrl'> & {
  /** undefined: the deploying org's instance URL (its My Domain). */
  loginUrl: string | undefined;
};

export interface CreateOptions {
  spec: EcaSpec;
  deployer: Deployer | undefined;
  dryRun: boolean;
  outputDir: string | undefined;
  /** Write the global OAuth settings file to --output-dir too (never with a key or secret in it). */
  outputGlobalSettings: boolean;
  /** undefined = --no-verify: stop after the deploy and the read-back, save nothing. */
  verify: VerifyOptions | undefined;
  deployTimeoutMs: number;
  /** A person can answer the masked key/secret prompt when the read-back is refused. */
  interactive: boolean;
  /**
   * Asked once the org and the deploying user are known, before anything changes in the org (the wizard
   * asks the person; --yes and non-interactive runs pass none). false cancels the run.
   */
  confirmDeploy?: ((o: { appName: string; host: string; who: string }) => Promise<boolean>) | undefined;
  /**
   * JWT bearer (docs/create.md §9): the key and certificate files given; neither means generate a key
   * pair (0600, under the config directory) whose certificate goes into the app. Undefined: other flows.
   */
  jwt?: { privateKeyFile?: string; certificateFile?: string } | undefined;
}

export interface CreateResult {
  spec: EcaSpec;
  /** The mdapi files (dry run: what would be deployed). */
  files: MetadataFile[];
  apiVersion: string | undefined;
  written: string[];
  deployed: boolean;
  deployId: string | undefined;
  /** Who deployed, in words ("the access token from stdin", "sfoauth profile \"x\"", "the Salesforce CLI's login \"y\""). */
  deployedBy: string | undefined;
  consumerKey: string | undefined;
  /** init's result when the app was verified and the profile saved. */
  init: InitResult | undefined;
  /** The flow the app is made for (its settings say: a Run As user, a certificate, or neither). */
  flow: Flow;
  /** The deploying org's instance URL (its My Domain), once known. */
  instanceUrl: string | undefined;
  /** JWT bearer: the private key whose certificate is on the app (given or generated). */
  privateKeyFile: string | undefined;
  /** The JWT bearer key pair generated for the app (the key 0600, never printed), when one was. */
  generatedKey: { keyFile: string; certificateFile: string } | undefined;
  /** What the user should know about the result (a permission likely missing, a key others can read). */
  warnings: string[];
}

export type CreateDeps = InitDeps & Pick<Deps, 'openStore'>;

/** How long a deployed app may take to appear in the credentials API's list before sfoauth gives up. */
const LISTED_WITHIN_MS = 60_000;

export async function runCreate(opts: CreateOptions, store: ProfileStore, deps: CreateDeps, progress: (line: string) => void): Promise<CreateResult> {
  let { spec } = opts;
  const result: CreateResult = {
    spec,
    files: [],
    apiVersion: undefined,
    written: [],
    deployed: false,
    deployId: undefined,
    deployedBy: undefined,
    consumerKey: undefined,
    init: undefined,
    flow: opts.jwt ? 'jwt-bearer' : spec.clientCredentialsRunAs !== undefined ? 'client-credentials' : 'web-server',
    instanceUrl: undefined,
    privateKeyFile: undefined,
    generatedKey: undefined,
    warnings: [],
  };
  // Progress is plain lines; a warning is also part of the result (the --json document carries it).
  const warn = (line: string) => {
    result.warnings.push(line);
    progress(`Warning: ${line}`);
  };
  if (spec.refreshPolicy.kind === 'lifetime' && result.flow === 'web-server') {
    const { period, unit } = spec.refreshPolicy;
    warn(`the app's refresh tokens expire ${period} ${unit.toLowerCase()} after they are issued; then \`sfoauth test\` (and Nango) fail with invalid_grant until someone logs in again. --refresh-token-policy until-revoked avoids that.`);
  }
  // JWT bearer: the app's certificate goes into the spec, its key into the result (and init's options).
  const { jwt } = opts;
  const applyJwt = async () => {
    if (!jwt) return;
    const material = await jwtMaterial(jwt, spec, { opts, store, deps, progress, warn, result });
    spec = result.spec = material.spec;
    result.privateKeyFile = material.privateKeyFile;
  };
  // Files given are read (and checked) before anything else; a new key pair only once the deploy is due.
  const jwtNow = opts.dryRun || jwt?.privateKeyFile !== undefined || jwt?.certificateFile !== undefined;
  if (jwtNow) await applyJwt();
  const writeFiles = async () => {
    if (opts.outputDir !== undefined) result.written = await writeSourceFormat(opts.outputDir, result.spec, opts.outputGlobalSettings);
  };
  if (opts.dryRun) {
    await writeFiles();
    result.files = ecaMetadataFiles(spec, `${MIN_CREDENTIALS_API_VERSION}.0`);
    return result;
  }
  // --output-dir without anyone to deploy: only the files were asked for.
  if (!opts.deployer && opts.outputDir !== undefined) {
    await writeFiles();
    return result;
  }
  // The files are written once the app's certificate is known (a key pair is generated just before the
  // deploy); a file in the way refuses the run now, before anything is generated or deployed.
  if (opts.outputDir !== undefined) await assertSourceFilesFree(opts.outputDir, spec, opts.outputGlobalSettings);
  if (!opts.deployer) throw new UsageError('sfoauth create needs a token of an admin of the target org to deploy the app.', { hint: DEPLOYER_HINT });
  // Before the deploy: an app whose verified login cannot be saved would leave the user half done.
  if (opts.verify) await store.assertWritable();

  const http = httpClientOf(deps);
  const { deployer } = opts;
  const session = await whileWaiting(deps, 'Getting an access token to deploy with…', () => deployerSession(deployer, deps, progress));
  result.deployedBy = session.who;
  result.instanceUrl = session.instanceUrl;
  progress(`Deploying as ${session.who} to ${new URL(session.instanceUrl).host}.`);

  const version = requireApiVersion(latestVersion(await whileWaiting(deps, "Reading the org's API versions…", () => listRestVersions(http, session.instanceUrl)))?.version);
  result.apiVersion = version;

  const p = { instanceUrl: session.instanceUrl, accessToken: session.accessToken, version };
  await precheckPermissions(http, p, session.who, { progress, warn }, deps);
  if (opts.confirmDeploy && !(await opts.confirmDeploy({ appName: spec.name, host: new URL(session.instanceUrl).host, who: session.who }))) {
    throw new CancelledError('Cancelled. Nothing was deployed.');
  }
  if (!jwtNow) await applyJwt();
  await writeFiles();
  result.files = ecaMetadataFiles(spec, version);
  const { buildDeployZip } = await import('../core/salesforce/eca-package.js');
  const zip = await buildDeployZip(result.files);
  const id = await whileWaiting(deps, 'Starting the deploy…', () => startDeploy(http, { ...p, zip }));
  result.deployId = id;
  progress(`Deploy ${id} started (${result.files.length - 1} components of "${spec.name}").`);
  let last = '';
  await whileWaiting(deps, `Deploying "${spec.name}"…`, () =>
    pollDeploy({
      http,
      clock: deps.clock,
      ...p,
      id,
      timeoutMs: opts.deployTimeoutMs,
      signal: deps.signal,
      onProgress: (st, ms) => {
        const line = deployLine(st, ms);
        if (line !== last) progress(line);
        last = line;
      },
    }),
  );
  result.deployed = true;
  progress(`Deployed "${spec.label}" (${spec.name}).`);

  const creds = await obtainCredentials(http, p, spec.name, opts, deps, progress);
  result.consumerKey = creds.consumerKey;
  if (!opts.verify) return result;

  const v = opts.verify;
  const [callbackUrl, ...extraCallbackUrls] = spec.callbackUrls;
  const initOpts: InitOptions = {
    ...v,
    // Client credentials go to the My Domain, never login/test.salesforce.com.
    loginUrl: v.flow === 'client-credentials' ? session.instanceUrl : (v.loginUrl ?? session.instanceUrl),
    clientId: creds.consumerKey,
    clientSecret: creds.consumerSecret,
    callbackUrl: callbackUrl!,
    extraCallbackUrls,
    scopes: spec.scopes,
    ...(result.privateKeyFile !== undefined ? { privateKeyFile: result.privateKeyFile } : {}),
    // A given key's mode is in create's own warnings (read before the deploy); init's would repeat it.
    ...(opts.jwt?.privateKeyFile !== undefined ? { keyModeChecked: true } : {}),
  };
  if (v.flow === 'web-server') {
    progress('Verifying the new app with a login (init\'s flow); a new app can take minutes to propagate.');
    result.init = await runInit(initOpts, store, deps);
  } else {
    progress(`Verifying the new app with the ${v.flow} flow (init's); a new app can take minutes to propagate.`);
    result.init = await serverInitOncePropagated(initOpts, store, deps, progress);
  }
  return result;
}

/**
 * init's server-to-server verification, repeated while Salesforce does not know the new app yet
 * (`invalid_client_id`, or an External Client App "not installed" on a fresh org), every poll interval
 * within --wait. A token grant of these flows spends nothing, so a retry loses nothing.
 */
async function serverInitOncePropagated(o: InitOptions, store: ProfileStore, deps: CreateDeps, progress: (line: string) => void): Promise<InitResult> {
  const { runServerInit } = await import('./init-server.js');
  const deadline = deps.clock.now() + o.waitMs;
  for (;;) {
    try {
      const r = await whileWaiting(deps, 'Verifying the new app with a token request…', () => runServerInit(o, store, deps, () => Promise.resolve(false)));
      if ('generated' in r) throw new Error('create passes the key it generated; init must not generate another');
      return r;
    } catch (err) {
      const unknownApp = err instanceof SalesforceError && (err.error === 'invalid_client_id' || err.error === 'OAUTH_EC_APP_NOT_FOUND');
      const left = deadline - deps.clock.now();
      if (!unknownApp || left <= 0) throw err;
      const ms = Math.min(o.pollMs, left);
      progress(`  Salesforce does not know the new app yet (${err.error}); trying again in ${Math.ceil(ms / 1000)} s (up to ${Math.ceil(left / 1000)} s more).`);
      await whileWaiting(deps, 'Waiting for Salesforce to know the new app…', () => deps.clock.sleep(ms, deps.signal));
    }
  }
}

/**
 * The JWT bearer key and certificate: the files given (the certificate must belong to the key), or a new
 * pair written before anything is deployed (so the key of a deployed certificate is never lost). A dry
 * run generates one in memory only, to show the package.
 */
async function jwtMaterial(
  files: NonNullable<CreateOptions['jwt']>,
  spec: EcaSpec,
  { opts, store, deps, progress, warn, result }: { opts: CreateOptions; store: ProfileStore; deps: CreateDeps; progress: (line: string) => void; warn: (line: string) => void; result: CreateResult },
): Promise<{ spec: EcaSpec; privateKeyFile: string | undefined }> {
  const cert = await import('../platform/certificate.js');
  const withCertificate = (pem: string) => resolveEcaSpec({ ...spec, jwtCertificatePem: pem });
  if (files.privateKeyFile !== undefined || files.certificateFile !== undefined) {
    const certificateFile = files.certificateFile ?? cert.certificatePathFor(files.privateKeyFile!);
    const certificatePem = cert.readPemFile(certificateFile).text;
    if (files.privateKeyFile !== undefined) {
      const key = cert.readPemFile(files.privateKeyFile);
      if (key.tooOpen) warn(`${files.privateKeyFile} can be read by other users: run chmod 600 ${files.privateKeyFile}.`);
      if (!cert.keyMatchesCertificate(key.text, certificatePem)) {
        throw new UsageError(`${certificateFile} does not belong to the private key ${files.privateKeyFile}; the app would refuse every assertion.`, {
          hint: 'Pass the certificate of this key with --certificate, or leave both out to generate a new pair.',
        });
      }
    }
    return { spec: withCertificate(certificatePem), privateKeyFile: files.privateKeyFile };
  }
  const material = await cert.generateKeyAndCertificate({ commonName: `sfoauth ${spec.name}`, now: deps.clock.now() });
  if (opts.dryRun) {
    progress('Dry run: the certificate shown is an example; a real run generates and keeps a new key pair.');
    return { spec: withCertificate(material.certificatePem), privateKeyFile: undefined };
  }
  const name = opts.verify?.profile || spec.name;
  const written = cert.writeGeneratedKeyPair(store.path, name, material);
  result.generatedKey = { keyFile: written.keyFile, certificateFile: written.certificateFile };
  progress(`Generated the private key ${written.keyFile} (0600) and its certificate ${written.certificateFile}, which goes into the app.`);
  return { spec: withCertificate(material.certificatePem), privateKeyFile: written.keyFile };
}

export const DEPLOYER_HINT =
  'Pass one of: --target-org <alias> (the Salesforce CLI\'s login), --access-token-stdin with --instance-url <https://…my.salesforce.com>, or --from-profile <sfoauth profile with the api scope>. Or use --dry-run / --output-dir to only build the files.';

interface Session {
  instanceUrl: string;
  accessToken: string;
  who: string;
}

async function deployerSession(d: Deployer, deps: CreateDeps, progress: (line: string) => void): Promise<Session> {
  if (d.kind === 'token') return { instanceUrl: d.instanceUrl, accessToken: d.accessToken, who: 'the access token from stdin' };
  if (d.kind === 'profile') {
    // The one locked refresh path (app/token.ts): a rotated refresh token is saved before it is used here.
    const { accessToken, profile } = await freshToken({ profile: d.profile, configDir: d.configDir }, deps, progress);
    if (!profile.instanceUrl) throw new UsageError(`Profile "${d.profile}" has no instance URL.`, { hint: `Run \`sfoauth init --profile ${d.profile}\` again.` });
    return { instanceUrl: profile.instanceUrl, accessToken, who: `sfoauth profile "${d.profile}"` };
  }
  const { sfOrgToken } = await import('../platform/sf-cli.js');
  const t = await sfOrgToken(d.targetOrg, { signal: deps.signal });
  return { instanceUrl: t.instanceUrl, accessToken: t.accessToken, who: `the Salesforce CLI's login "${d.targetOrg}"${t.username ? ` (${t.username})` : ''}` };
}

/** The org's newest API version, refused below what ECA metadata needs (pure; docs/create.md §7). */
export function requireApiVersion(latest: string | undefined): string {
  const major = latest === undefined ? NaN : parseInt(latest, 10);
  if (!(major >= MIN_ECA_METADATA_VERSION)) {
    throw new UsageError(
      `This org's newest API version is ${latest ?? 'unknown'}; deploying an External Client App needs ${MIN_ECA_METADATA_VERSION}.0 (Winter '24) or later.`,
      { hint: 'Use an org on a current release, or create the app in Setup → External Client App Manager and run `sfoauth init`.' },
    );
  }
  return `${major}.0`;
}

/**
 * The deploying user's permissions, before anything is deployed: a documented gap refuses with its fix,
 * a likely one is a warning, and a check Salesforce would not run is said and skipped (the deploy's own
 * refusal is explained by the catalog).
 */
async function precheckPermissions(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string },
  who: string,
  { progress, warn }: { progress: (line: string) => void; warn: (line: string) => void },
  deps: Pick<Deps, 'showWaiting'>,
): Promise<void> {
  const check = await whileWaiting(deps, `Checking the permissions of ${who}…`, () => checkDeployPermissions(http, p));
  if (!check.ran) {
    warn(`Could not check the permissions of ${who} before the deploy (${check.reason}); deploying anyway.`);
    return;
  }
  const blocking = check.gaps.filter((g) => g.blocking);
  if (blocking.length > 0) throw new DeployPermissionError(who, blocking);
  for (const g of check.gaps) warn(`the user lacks "${g.permission}": ${g.why}. Fix: ${g.fix}.`);
  if (check.gaps.length === 0) progress(`Permissions: ${check.granted.join(', ')}.`);
}

function deployLine(st: DeployStatus, ms: number): string {
  const counts = st.componentsTotal ? ` ${st.componentsDeployed ?? 0}/${st.componentsTotal} components` : '';
  return `  deploy ${st.status}${counts} (${Math.round(ms / 1000)} s)`;
}

/**
 * The minted key and secret through the credentials API (60.0+). When the org or the user refuses, the
 * catalog's fix is shown and, in a terminal, a masked prompt takes them from the app's Settings page;
 * without one, the refusal ends the run (main prints the same fix).
 */
async function obtainCredentials(
  http: HttpClient,
  p: { instanceUrl: string; accessToken: string; version: string },
  name: string,
  opts: CreateOptions,
  deps: CreateDeps,
  progress: (line: string) => void,
): Promise<Pick<AppCredentials, 'consumerKey' | 'consumerSecret'>> {
  const where = `Setup → External Client App Manager → ${name} → Settings → OAuth Settings → Consumer Key and Secret`;
  if (parseInt(p.version, 10) < MIN_CREDENTIALS_API_VERSION) {
    const why = `This org's API ${p.version} has no credentials API (it needs ${MIN_CREDENTIALS_API_VERSION}.0).`;
    if (!opts.interactive) throw new UsageError(`The app was deployed, but ${why}`, { hint: `Copy the key and secret from ${where}, then run \`sfoauth init --client-id <key> --client-secret-stdin\`.` });
    deps.io.instruct(why);
    return askForCredentials(deps, where);
  }
  try {
    const deadline = deps.clock.now() + LISTED_WITHIN_MS;
    for (;;) {
      const creds = await whileWaiting(deps, 'Reading the new Consumer Key and Secret…', () => readAppCredentials(http, { ...p, developerName: name }));
      if (creds) {
        progress(`Read the Consumer Key ${creds.consumerKey.slice(0, 12)}… and its secret.`);
        return creds;
      }
      if (deps.clock.now() >= deadline) {
        throw new UsageError(`The app "${name}" was deployed but is not listed by the credentials API yet.`, {
          hint: `Copy the key and secret from ${where}, then run \`sfoauth init --client-id <key> --client-secret-stdin\`.`,
        });
      }
      await whileWaiting(deps, `Waiting for the credentials API to list "${name}"…`, () => deps.clock.sleep(2000, deps.signal));
    }
  } catch (err) {
    if (!(err instanceof CredentialsAccessError)) throw err;
    if (!opts.interactive) {
      progress(`"${name}" was deployed. Without a terminal sfoauth cannot ask for its key and secret: after the fix below, run \`sfoauth init --client-id <key> --client-secret-stdin\` (copy them from ${where}).`);
      throw err;
    }
    // What the question that follows is about: said even with --json (io.instruct).
    deps.io.instruct(`The app was deployed, but ${err.message}`);
    const e = explainFailure(failureOf(err));
    if (e.fix) deps.io.instruct(`  Fix: ${e.fix}`);
    for (const s of e.setup) deps.io.instruct(`  ${s}`);
    return askForCredentials(deps, where);
  }
}

async function askForCredentials(deps: CreateDeps, where: string): Promise<Pick<AppCredentials, 'consumerKey' | 'consumerSecret'>> {
  deps.io.instruct(`Copy them from ${where}:`);
  const nonEmpty = (v: string) => (v.trim() !== '' ? true : 'Paste the value (it is not empty).');
  const consumerKey = (await deps.prompter.input({ message: 'Consumer Key:', validate: nonEmpty })).trim();
  const consumerSecret = (await deps.prompter.password({ message: 'Consumer Secret:', validate: nonEmpty })).trim();
  return { consumerKey, consumerSecret };
}

/**
 * Source-format files for version control: `<dir>/<folder>/<member>.<suffix>-meta.xml`. The global OAuth
 * settings file only when asked; sfoauth never writes a key or secret into it. Existing files are not
 * overwritten.
 */
export async function writeSourceFormat(dir: string, spec: EcaSpec, includeGlobal: boolean): Promise<string[]> {
  const files = sourceFormatFiles(spec, includeGlobal);
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, f.content, { flag: 'wx', mode: 0o644 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw fileInTheWay(path);
      throw err;
    }
    written.push(path);
  }
  return written;
}

/** Refuses before anything is generated or deployed when a file --output-dir would write exists. */
async function assertSourceFilesFree(dir: string, spec: EcaSpec, includeGlobal: boolean): Promise<void> {
  for (const f of sourceFormatFiles(spec, includeGlobal)) {
    const path = join(dir, f.path);
    if (existsSync(path)) throw fileInTheWay(path);
  }
}

function fileInTheWay(path: string): UsageError {
  return new UsageError(`${path} already exists; sfoauth does not overwrite metadata files.`, { hint: 'Pick another --output-dir, or move the file away.' });
}

/** Pure: the source-format paths and contents (no package.xml; the global settings only when asked). */
export function sourceFormatFiles(spec: EcaSpec, includeGlobal: boolean): MetadataFile[] {
  const byMember = new Map(ecaComponents(spec).map((c) => [`${c.folder}/${c.member}.${c.suffix}`, c]));
  return ecaMetadataFiles(spec, `${MIN_CREDENTIALS_API_VERSION}.0`)
    .filter((f) => {
      const c = byMember.get(f.path);
      return c !== undefined && (includeGlobal || c.type !== ECA_TYPES.global.type);
    })
    .map((f) => ({ ...f, path: `${f.path}-meta.xml` }));
}
