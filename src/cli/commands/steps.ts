/**
 * `sfoauth steps`: prints the Salesforce Setup steps for an environment and app type, with the exact
 * callback URLs and scope labels to paste, and nothing else (stdout only; `--json` gives the guide
 * object). Offline. Validation and the guide itself load only when the command runs.
 */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';
import { DEFAULT_CALLBACK_URL } from '../../core/oauth/callback-url.js';
import { DEFAULT_SCOPES } from '../../core/salesforce/scopes.js';
import type { SetupGuide } from '../../core/salesforce/setup-steps.js';
import { terminalColumns } from '../wrap.js';

/** The raw flags, as commander hands them over. */
export interface StepsFlags {
  env?: string;
  appType?: string;
  callbackUrl?: string;
  extraCallbackUrl?: string[];
  scopes?: string;
  loginUrl?: string;
  migrate?: boolean;
  flow?: string;
}

export const registerSteps: RegisterCommand = (program, ctx) => {
  program
    .command('steps')
    .description('print the Salesforce Setup steps for an environment and app type, with the values to paste')
    .option('--env <env>', 'production or sandbox (Nango names salesforce / salesforce-sandbox work too) (default: production)')
    .option('--app-type <type>', 'external-client-app or connected-app (default: external-client-app)')
    .option('--callback-url <url>', `the loopback callback sfoauth listens on (default: ${DEFAULT_CALLBACK_URL})`)
    .option(
      '--extra-callback-url <url>',
      'another callback URL to register on the app, e.g. Nango\'s (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--scopes <scopes>', `OAuth scopes, space or comma separated (default: "${DEFAULT_SCOPES.join(' ')}")`)
    .option('--login-url <url>', 'the org\'s login host or My Domain (default: login.salesforce.com / test.salesforce.com)')
    .option('--flow <flow>', 'web-server (default), client-credentials or jwt-bearer: the steps that enable that flow')
    .option('--migrate', 'steps to migrate an existing Connected App to an External Client App instead')
    .addHelpText(
      'after',
      `
Examples:
  $ sfoauth steps                                   production org, External Client App
  $ sfoauth steps --env sandbox                     sandbox org (signs in at test.salesforce.com)
  $ sfoauth steps --env production --app-type connected-app
  $ sfoauth steps --extra-callback-url https://api.nango.dev/oauth/callback
  $ sfoauth steps --env salesforce-sandbox --migrate
  $ sfoauth steps --login-url https://acme.my.salesforce.com --scopes "api refresh_token openid"
  $ sfoauth steps --flow client-credentials --login-url https://acme.my.salesforce.com
  $ sfoauth steps --flow jwt-bearer --env sandbox
  $ sfoauth --json steps --env sandbox              the guide as JSON`,
    )
    .action(async (flags: StepsFlags, cmd: Command) => {
      const { io } = ctx.deps;
      const { guide, warnings } = await guideFromFlags(flags);
      // Warnings go to stderr: stdout carries the guide and nothing else.
      for (const warning of warnings) io.err(`${io.color.yellow('!')} ${warning}`);
      if (globalsOf(cmd).json) {
        io.out(JSON.stringify(guide, null, 2));
        return;
      }
      const { renderSetupGuide } = await import('../render-steps.js');
      for (const line of renderSetupGuide(guide, io.outColor, terminalColumns(io.stdout, io.stdoutIsTTY))) io.out(line);
    });
};

/**
 * Validates the flags (a bad value is a UsageError naming what is accepted) and builds the guide.
 * Without --env, a recognisable --login-url (a sandbox My Domain, test.salesforce.com) decides it.
 */
export async function guideFromFlags(flags: StepsFlags): Promise<{ guide: SetupGuide; warnings: string[] }> {
  const [hosts, callbacks, scopesModule, setup, options] = await Promise.all([
    import('../../core/salesforce/hosts.js'),
    import('../../core/oauth/callback-url.js'),
    import('../../core/salesforce/scopes.js'),
    import('../../core/salesforce/setup-steps.js'),
    import('../../core/config/app-type.js'),
  ]);
  const loginUrl = flags.loginUrl === undefined ? undefined : hosts.parseLoginUrl(flags.loginUrl).origin;
  const env =
    flags.env !== undefined
      ? hosts.normalizeEnvironment(flags.env)
      : (loginUrl !== undefined ? hosts.environmentOfHostKind(hosts.classifyHost(loginUrl)) : undefined) ?? 'production';
  const appType = flags.appType === undefined ? 'external-client-app' : options.parseAppType(flags.appType);
  const { parseFlow } = await import('../../core/config/profile.js');
  const flow = flags.flow === undefined ? 'web-server' : parseFlow(flags.flow);
  if (flow !== 'web-server') {
    const { jwtAudienceFor } = await import('../../core/oauth/jwt-assertion.js');
    const target = loginUrl ?? hosts.defaultLoginUrl(env);
    const guide = setup.buildServerFlowGuide({ flow, appType, env, loginUrl: target, ...(flow === 'jwt-bearer' ? { audience: jwtAudienceFor(target) ?? hosts.defaultLoginUrl(env) } : {}) });
    const { clientCredentialsHostProblem } = await import('../../core/credentials/server-token.js');
    const problem = flow === 'client-credentials' ? clientCredentialsHostProblem(target) : undefined;
    return { guide, warnings: problem ? [`${problem} Pass --login-url https://<MyDomain>.my.salesforce.com.`] : [] };
  }
  const callbackUrls = [
    callbacks.parseCallbackUrl(flags.callbackUrl ?? DEFAULT_CALLBACK_URL).url.href,
    ...(flags.extraCallbackUrl ?? []).map((u) => callbacks.parseExtraCallbackUrl(u).href),
  ];
  const scopes = flags.scopes === undefined ? [...scopesModule.DEFAULT_SCOPES] : scopesModule.parseScopes(flags.scopes);
  const guide = setup.buildSetupGuide({
    env,
    appType,
    callbackUrls,
    scopes,
    ...(loginUrl !== undefined ? { loginUrl } : {}),
    migrate: flags.migrate === true,
  });
  const warnings = loginUrl === undefined ? [] : hosts.loginHostProblems(loginUrl, env);
  return { guide, warnings };
}
