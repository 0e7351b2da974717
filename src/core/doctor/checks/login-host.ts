/**
 * Profile: the login host can serve OAuth for this environment. Lightning (`*.lightning.force.com`) and
 * Setup (`*.my.salesforce-setup.com`) hosts never do, plain http only reaches this machine (the
 * emulator), and a sandbox logs in at test.salesforce.com while production and Developer Edition use
 * login.salesforce.com (docs/salesforce.md §1).
 */
import { SfOAuthError } from '../../../errors.js';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn } from '../../checks/check.js';
import {
  classifyHost,
  defaultLoginUrl,
  inputNamesFor,
  loginHostProblems,
  parseLoginUrl,
  suggestLoginHost,
  type HostKind,
} from '../../salesforce/hosts.js';
import { requireDoctorProfile, type DoctorCheck, type DoctorContext } from '../context.js';
import { initCommand, setInputFix } from '../../verify/context.js';

const KIND_LABELS: Partial<Record<HostKind, string>> = {
  'generic-production': 'the generic production login host',
  'generic-sandbox': 'the generic sandbox login host',
  production: 'a production My Domain',
  sandbox: 'a sandbox My Domain',
  'developer-edition': 'a Developer Edition My Domain',
  trailhead: 'a Trailhead Playground My Domain',
  scratch: 'a scratch org My Domain',
  patch: 'a patch org My Domain',
  demo: 'a demo org My Domain',
  'experience-cloud': 'an Experience Cloud site',
  loopback: 'this machine (the sfoauth emulator)',
};

export const loginHostCheck: DoctorCheck = {
  id: 'login-url',
  group: 'profile',
  title: 'Login host',
  needs: ['profile'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    const raw = profile.loginUrl;
    const kind = classifyHost(raw);
    if (kind === 'lightning' || kind === 'setup') {
      const host = new URL(raw).hostname;
      const suggested = `https://${suggestLoginHost(host) ?? 'MyDomainName.my.salesforce.com'}`;
      return fail(
        `${host} is ${kind === 'lightning' ? 'the Lightning Experience address' : 'the Setup address'} of the org; Salesforce does not serve OAuth there`,
        useLoginUrl(ctx, suggested),
        { exitCode: EXIT.USAGE },
      );
    }
    let url: URL;
    try {
      url = parseLoginUrl(raw);
    } catch (err) {
      if (!(err instanceof SfOAuthError)) throw err;
      const https = raw.replace(/^http:/i, 'https:');
      return fail(err.message, /^http:/i.test(raw) ? useLoginUrl(ctx, new URL(https).origin) : (err.hint ?? useLoginUrl(ctx, defaultLoginUrl(profile.env))), {
        exitCode: EXIT.USAGE,
      });
    }
    const problems = loginHostProblems(url, profile.env, inputNamesFor(ctx.source));
    if (problems.length > 0) {
      return warn(problems[0]!, agreeFix(ctx), { detail: problems.slice(1) });
    }
    return pass(`${url.host}: ${KIND_LABELS[kind] ?? 'a custom host'}, fits ${profile.env}`);
  },
};

function useLoginUrl(ctx: DoctorContext, url: string): string {
  return setInputFix(ctx, 'loginUrl', url);
}

function agreeFix(ctx: DoctorContext): string {
  const hosts = 'sandbox: https://test.salesforce.com or its …sandbox.my.salesforce.com My Domain; production and Developer Edition: https://login.salesforce.com or the My Domain';
  return ctx.source === 'env'
    ? `make SFOAUTH_ENV and SFOAUTH_LOGIN_URL agree (${hosts}); in Nango pick salesforce-sandbox for a sandbox, salesforce otherwise`
    : `run ${initCommand(ctx.profileName)} with --env and --login-url that agree (${hosts})`;
}
