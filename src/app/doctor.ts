/**
 * `sfoauth doctor`: run every check and return a report (rendering is in cli/render/doctor.ts).
 * `onStart`/`onCheck` let the CLI print the report as it happens.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { verdictOf } from '../core/doctor/verdict.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { exitCodeFor, runChecks, titleOf, type CheckResult } from '../core/checks/check.js';
import { resolveConfigDir } from '../core/config/config-dir.js';
import type { ProfileStore } from '../core/config/store.js';
import { doctorChecks } from '../core/doctor/checks.js';
import type { DoctorContext, DoctorGroup, DoctorSource } from '../core/doctor/context.js';
import type { VerifyContext } from '../core/verify/context.js';
import type { Deps } from '../deps.js';
import { httpClientOf } from '../core/http/request.js';
import { checkPortFree } from '../platform/port.js';
import { ENV_VARS, loadInputs, verifyContextFor } from './credentials.js';
import { throwIfCancelled, unlessCancelled, type PlannedCheck } from './check-events.js';

export interface DoctorOptions {
  profile?: string;
  configDir?: string;
  offline: boolean;
  fix: boolean;
  /** Defaults to the running Node.js (tests pass an old one). */
  nodeVersion?: string;
  platform?: NodeJS.Platform;
  /** Bound on each raw DNS lookup, TCP connect and TLS handshake; default 5000 ms. */
  probeTimeoutMs?: number;
  /** One-line notices for people (stderr): a restored journal, waiting for a refresh in flight. */
  notice?: (line: string) => void;
  /** Before any check runs: what the header needs and the checks, in report order. */
  onStart?: (run: DoctorStart) => void;
  /** Each result in report order, as soon as it and every check before it are done; none after Ctrl-C. */
  onCheck?: (r: DoctorResult) => void;
}

export interface DoctorResult extends CheckResult {
  group: DoctorGroup;
}

export interface PlannedDoctorCheck extends PlannedCheck {
  group: DoctorGroup;
}

/** What a live report needs before the first result: its header and the checks to come. */
export type DoctorStart = Pick<DoctorReport, 'profile' | 'source' | 'sourceDetail' | 'configFile'> & { checks: PlannedDoctorCheck[] };

export interface DoctorReport {
  ok: boolean;
  exitCode: ExitCode;
  profile: string;
  source: DoctorSource;
  /** Where the inputs came from, for people. */
  sourceDetail: string;
  configFile: string;
  offline: boolean;
  /** No profile and no SFOAUTH_* variables: only the machine was checked. */
  nothingConfigured: boolean;
  checks: DoctorResult[];
  /** One line: the overall finding and the first thing to do. */
  verdict: string;
  /** The fix of the first failing check (else of the first warning), if any. */
  firstFix: string | undefined;
}

export async function runDoctor(
  opts: DoctorOptions,
  deps: Pick<Deps, 'fetch' | 'clock' | 'env' | 'openStore' | 'signal' | 'trace' | 'random'>,
): Promise<DoctorReport> {
  let store: ProfileStore | undefined;
  try {
    store = await deps.openStore(opts.configDir);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
  }
  const configFile = store?.path ?? path.join(path.resolve(resolveConfigDir({ configDir: opts.configDir, env: deps.env })), 'config.json');

  // The file is read once here to know whether anything is configured; the config-file check reports problems.
  let configUnreadable = false;
  let savedProfiles = 0;
  if (store) {
    try {
      savedProfiles = Object.keys((await store.read()).profiles).length;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      configUnreadable = true;
    }
  }

  const inputs = await loadInputs(opts, deps.env, deps.openStore, deps.clock.now);
  // Some SFOAUTH_* variables without SFOAUTH_REFRESH_TOKEN is a half-done CI setup, not a blank slate.
  const partialEnv = ENV_VARS.some((name) => name !== 'SFOAUTH_REFRESH_TOKEN' && Boolean(deps.env[name]));
  const nothingConfigured = inputs.source === 'profile' && !inputs.profile && !configUnreadable && savedProfiles === 0 && !partialEnv;
  const source: DoctorSource = nothingConfigured ? 'none' : inputs.source;

  const http = httpClientOf(deps);
  const verify: VerifyContext = verifyContextFor(inputs, http, deps.clock, { signal: deps.signal, envTokenIsReadOnly: true, ...(opts.notice ? { notice: opts.notice } : {}) });

  const ctx: DoctorContext = {
    clock: deps.clock,
    http,
    env: deps.env,
    nodeVersion: opts.nodeVersion ?? process.version,
    platform: opts.platform ?? process.platform,
    random: deps.random,
    fix: opts.fix,
    configFile,
    store,
    source,
    profileName: inputs.profileName,
    profile: inputs.profile,
    configUnreadable,
    verify,
    checkPortFree,
    probeTimeoutMs: opts.probeTimeoutMs ?? 5000,
    ...(inputs.profile?.flow === 'jwt-bearer' ? { keyFiles: await import('../platform/certificate.js') } : {}),
    ...(inputs.privateKeyPem ? { privateKeyPem: inputs.privateKeyPem } : {}),
  };

  const checks = doctorChecks({ offline: opts.offline });
  const groupOf = new Map(checks.map((c) => [c.id, c.group]));
  const withGroup = (r: CheckResult): DoctorResult => ({ ...r, group: groupOf.get(r.id) ?? 'machine' });
  const sourceDetail = source === 'env' ? 'SFOAUTH_* environment variables' : configFile;
  const planned = checks.map((c) => ({ id: c.id, group: c.group, title: titleOf(c, ctx) }));
  opts.onStart?.({ profile: inputs.profileName, source, sourceDetail, configFile, checks: planned });
  const onCheck = opts.onCheck;
  const live = onCheck ? unlessCancelled((r: CheckResult) => onCheck(withGroup(r)), deps.signal) : undefined;
  const results = (await runChecks(checks, ctx, { now: deps.clock.now, ...(live ? { onResult: live } : {}) })).map(withGroup);
  throwIfCancelled(deps.signal);

  const exitCode = exitCodeFor(results);
  const { verdict, firstFix } = verdictOf(results, { nothingConfigured, offline: opts.offline, source, profile: inputs.profileName });
  return {
    ok: exitCode === EXIT.OK,
    exitCode,
    profile: inputs.profileName,
    source,
    sourceDetail,
    configFile,
    offline: opts.offline,
    nothingConfigured,
    checks: results,
    verdict,
    firstFix,
  };
}
