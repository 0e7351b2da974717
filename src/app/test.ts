/**
 * `sfoauth test`: run the verification checks and return a report (rendering is in cli/render/test.ts).
 * `onStart`/`onCheck` let the CLI print the report as it happens.
 */
import { NetworkError } from '../errors.js';
import { exitCodeFor, runChecks, titleOf, type CheckResult } from '../core/checks/check.js';
import { VERIFY_CHECKS } from '../core/verify/checks.js';
import type { VerifyContext } from '../core/verify/context.js';
import type { OrgRecord } from '../core/salesforce/api.js';
import type { ExitCode } from '../exit-codes.js';
import type { Deps } from '../deps.js';
import { httpClientOf } from '../core/http/request.js';
import { loadInputs, verifyContextFor, type LoadedInputs } from './credentials.js';
import { throwIfCancelled, unlessCancelled, type PlannedCheck } from './check-events.js';

export interface TestOptions {
  profile?: string;
  configDir?: string;
  /** Bound on the whole run, in seconds. */
  timeoutSeconds: number;
  /** In env-var mode, where to write a rotated refresh token (mode 0600); SFOAUTH_ROTATED_TOKEN_FILE otherwise. */
  rotatedTokenFile?: string;
  /** One-line notices for people (stderr): a restored journal, waiting for a refresh in flight. */
  notice?: (line: string) => void;
  /** Before any check runs: where the inputs came from and the checks, in report order. */
  onStart?: (run: TestStart) => void;
  /** Each result in report order, as soon as it and every check before it are done; none after Ctrl-C. */
  onCheck?: (r: CheckResult) => void;
}

/** What a live report needs before the first result: its header and the checks to come. */
export interface TestStart {
  profile: string;
  source: LoadedInputs['source'];
  sourceDetail: string;
  checks: PlannedCheck[];
}

export interface TestReport {
  ok: boolean;
  exitCode: ExitCode;
  profile: string;
  source: LoadedInputs['source'];
  /** Where the inputs came from, for people: the config file or "SFOAUTH_* environment variables". */
  sourceDetail: string;
  instanceUrl: string | undefined;
  /** The Organization record, when the token could read it. */
  org: OrgRecord | undefined;
  checks: CheckResult[];
}

export async function runTest(
  opts: TestOptions,
  deps: Pick<Deps, 'fetch' | 'clock' | 'env' | 'openStore' | 'signal' | 'trace'>,
): Promise<TestReport> {
  const inputs = await loadInputs(opts, deps.env, deps.openStore, deps.clock.now);

  // One deadline for the whole run; Ctrl-C still wins.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new NetworkError('timeout', 'salesforce', `sfoauth test did not finish within --timeout ${opts.timeoutSeconds}s`, { hint: 'raise --timeout, or run `sfoauth doctor` to find the slow step' })),
    opts.timeoutSeconds * 1000,
  );
  timer.unref();
  const signal = AbortSignal.any([deps.signal, deadline.signal]);

  const http = httpClientOf(deps, signal);
  // The run deadline stops the lock wait and any refresh not yet sent, never one in flight (docs/credentials.md).
  const ctx: VerifyContext = verifyContextFor(inputs, http, deps.clock, {
    rotatedTokenFile: opts.rotatedTokenFile || deps.env.SFOAUTH_ROTATED_TOKEN_FILE || undefined,
    prefetch: true,
    signal,
    env: deps.env,
    ...(opts.notice ? { notice: opts.notice } : {}),
  });

  const sourceDetail = inputs.source === 'env' ? 'SFOAUTH_* environment variables' : (inputs.store?.path ?? 'config file');
  const planned = VERIFY_CHECKS.map((c) => ({ id: c.id, title: titleOf(c, ctx) }));
  opts.onStart?.({ profile: inputs.profileName, source: inputs.source, sourceDetail, checks: planned });
  const onResult = opts.onCheck ? unlessCancelled(opts.onCheck, deps.signal) : undefined;

  let checks: CheckResult[];
  try {
    checks = await runChecks(VERIFY_CHECKS, ctx, { now: deps.clock.now, ...(onResult ? { onResult } : {}) });
  } finally {
    clearTimeout(timer);
  }
  throwIfCancelled(deps.signal);

  const exitCode = exitCodeFor(checks);
  if (exitCode === 0 && inputs.source === 'profile' && inputs.store && inputs.profile) {
    await inputs.store.update(inputs.profileName, { lastVerifiedAt: new Date(deps.clock.now()).toISOString() });
  }
  return {
    ok: exitCode === 0,
    exitCode,
    profile: inputs.profileName,
    source: inputs.source,
    sourceDetail,
    instanceUrl: ctx.token?.instanceUrl ?? inputs.profile?.instanceUrl,
    org: ctx.organization ? (await ctx.organization).org : undefined,
    checks,
  };
}
