/**
 * The checks `sfoauth doctor` runs, in report order, each tagged with its group. `needs` makes later
 * groups wait for what they stand on (no network probe for a Lightning host, no app probe when the
 * host cannot be reached); independent checks run concurrently. The token group is `sfoauth test`'s
 * own checks, run on the same profile; it does not wait for the app group, so a token problem is
 * reported even when the app check already found one.
 */
import { skip } from '../checks/check.js';
import type { Check } from '../checks/check.js';
import { VERIFY_CHECKS } from '../verify/checks.js';
import type { VerifyContext } from '../verify/context.js';
import type { DoctorCheck, DoctorContext, DoctorGroup } from './context.js';
import { nodeVersionCheck } from './checks/node-version.js';
import { configFileCheck } from './checks/config-file.js';
import { configPermissionsCheck } from './checks/config-permissions.js';
import { pendingTokenCheck } from './checks/pending-token.js';
import { proxyEnvCheck } from './checks/proxy-env.js';
import { extraCaCertsCheck } from './checks/extra-ca-certs.js';
import { profileCheck } from './checks/profile.js';
import { consumerKeyCheck } from './checks/consumer-key.js';
import { consumerSecretCheck } from './checks/consumer-secret.js';
import { loginHostCheck } from './checks/login-host.js';
import { callbackPortCheck } from './checks/callback-port.js';
import { dnsCheck } from './checks/dns.js';
import { tcpTlsCheck } from './checks/tcp-tls.js';
import { clockSkewCheck } from './checks/clock-skew.js';
import { appCredentialsCheck } from './checks/app-credentials.js';
import { authorizeCheck } from './checks/authorize.js';
import { serverFlowCheck } from './checks/server-flow.js';
import { appMetadataCheck } from './checks/app-metadata.js';

/**
 * A `sfoauth test` check run on the doctor context. Its `needs` on test's own config and login-host
 * checks become doctor's profile and network checks; the verify login-host check keeps its job
 * (the host answers like Salesforce) under the id `login-endpoint`.
 */
function fromVerify(check: Check<VerifyContext>, group: DoctorGroup, id = check.id): DoctorCheck {
  const needs = (check.needs ?? []).flatMap((n) => (n === 'config' ? ['profile', 'tcp-tls'] : n === 'login-host' ? ['tcp-tls'] : [n]));
  const titleFor = check.titleFor;
  return { id, group, title: check.title, ...(titleFor ? { titleFor: (ctx: DoctorContext) => titleFor(ctx.verify) } : {}), needs, run: (ctx) => check.run(ctx.verify) };
}

const verify = (id: string): Check<VerifyContext> => {
  const found = VERIFY_CHECKS.find((c) => c.id === id);
  if (!found) throw new Error(`sfoauth test has no "${id}" check`);
  return found;
};

/** Test's checks that doctor covers itself (the profile check replaces `config`), or runs in its app group. */
const COVERED = new Set(['config', 'login-host', 'pkce']);

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  // 1. This machine
  nodeVersionCheck,
  configFileCheck,
  configPermissionsCheck,
  pendingTokenCheck,
  proxyEnvCheck,
  extraCaCertsCheck,
  // 2. The profile
  profileCheck,
  consumerKeyCheck,
  consumerSecretCheck,
  loginHostCheck,
  callbackPortCheck,
  serverFlowCheck,
  // 3. The network
  dnsCheck,
  tcpTlsCheck,
  fromVerify(verify('login-host'), 'network', 'login-endpoint'),
  clockSkewCheck,
  // 4. The app in Salesforce
  appCredentialsCheck,
  authorizeCheck,
  // Only once the authorize endpoint accepts the app can its answer to a request without PKCE mean anything.
  { ...fromVerify(verify('pkce'), 'app'), needs: ['authorize'] },
  // 5. The saved token: everything `sfoauth test` checks
  ...VERIFY_CHECKS.filter((c) => !COVERED.has(c.id)).map((c) => fromVerify(c, 'token')),
  appMetadataCheck,
];

const NEEDS_NETWORK: ReadonlySet<DoctorGroup> = new Set(['network', 'app', 'token']);

/** The checks for one run: with --offline, every check that would touch the network is a skip. */
export function doctorChecks(opts: { offline: boolean }): DoctorCheck[] {
  if (!opts.offline) return [...DOCTOR_CHECKS];
  return DOCTOR_CHECKS.map((c) =>
    NEEDS_NETWORK.has(c.group) ? { id: c.id, group: c.group, title: c.title, run: async (_ctx: DoctorContext) => skip('skipped: --offline') } : c,
  );
}

export function groupOf(id: string): DoctorGroup | undefined {
  return DOCTOR_CHECKS.find((c) => c.id === id)?.group;
}
