/**
 * `sfoauth create`: register an External Client App as metadata (docs/create.md). Flags → options is the
 * pure `createOptions` (options.ts, table-tested); the wizard asks, in a terminal only, what flags did not settle.
 */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../../context.js';
import { commander } from '../../commander.js';
import type { CreateFlags } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerCreate: RegisterCommand = (program, ctx) => {
  program
    .command('create')
    .description('create an External Client App by deploying its metadata, read its key and secret, verify, and save a profile')
    .option('--name <apiName>', 'API name of the app (letters, digits, underscores)')
    .option('--label <label>', 'label shown in Setup (default: the name)')
    .option('--contact-email <email>', 'contact email of the app')
    .option('--description <text>', 'description of the app')
    .option('--callback-url <url>', 'callback URL; repeatable. The first is the local one the verification listens on (default http://localhost:1717/OauthRedirect)', collect)
    .option('--scopes <scopes>', 'OAuth scopes (default "api refresh_token")')
    .option('--rotate-refresh-tokens', 'issue a new refresh token on every refresh (every client must store it)')
    .option('--refresh-token-policy <policy>', 'until-revoked (default), immediately, or a lifetime such as 90d, 12h, 6mo')
    .option('--introspect-all-tokens', 'let the app introspect tokens of other apps of the org ("Introspect All Tokens")')
    .option('--flow <flow>', 'web-server (default: browser login + PKCE), client-credentials or jwt-bearer; verification uses it')
    .option('--run-as <username>', 'client-credentials: the Run As user the tokens are issued for (an API-only integration user)')
    .option('--username <user>', 'jwt-bearer: the Salesforce username the verification token is for')
    .option('--private-key <file>', 'jwt-bearer: the PEM private key (its certificate next to it, name.crt); default: generate a key pair')
    .option('--certificate <file>', 'jwt-bearer: the PEM certificate to put on the app (default: the one next to --private-key)')
    .option('--pre-authorize-profile <name>', 'jwt-bearer: a profile whose users are pre-authorized (repeatable; default "System Administrator")', collect)
    .option('--target-org <alias>', 'deploy with the Salesforce CLI\'s login (sf org display --json)')
    .option('--access-token-stdin', 'deploy with an admin access token read from stdin (with --instance-url)')
    .option('--instance-url <url>', 'the org of --access-token-stdin (https://….my.salesforce.com)')
    .option('--from-profile <name>', 'deploy with an sfoauth profile that has the api scope')
    .option('--output-dir <dir>', 'also write the app as source-format metadata (no key or secret)')
    .option('--output-global-settings', 'with --output-dir: include the global OAuth settings file (never with key or secret)')
    .option('--dry-run', 'build and show the package; deploy nothing')
    .option('--no-verify', 'stop after the deploy and the key read-back; save no profile')
    .option('--env <env>', 'verification: production or sandbox (default production)')
    .option('--login-url <url>', 'verification: login host (default: the org\'s instance URL)')
    .option('--no-browser', 'verification: print the login URL instead of opening a browser')
    .option('--timeout <seconds>', 'verification: how long to wait for the callback', '300')
    .option('--wait <minutes>', 'verification: how long to wait for the new app to propagate (default 10)')
    .option('-y, --yes', 'never prompt, replace an existing profile')
    .addOption(new commander.Option('--poll-interval <seconds>', 'propagation re-check interval').hideHelp())
    .addOption(new commander.Option('--deploy-timeout <minutes>', 'how long to wait for the deploy (default 10)').hideHelp())
    .addHelpText(
      'after',
      `
The profile is --profile, else the default profile while there is none, else one named after the app.
Built from Salesforce's documentation and public examples, and tested against the emulator
(sfoauth emulator); see docs/create.md. With --no-verify nothing is saved: the Consumer Key is printed,
the secret stays in Salesforce (Setup → External Client App Manager → the app → Settings).

Examples:
  $ sfoauth create --name CI_App --contact-email me@example.com --target-org my-org
  $ printf %s "$TOKEN" | sfoauth create --name CI_App --contact-email me@example.com \\
      --access-token-stdin --instance-url https://acme.my.salesforce.com --yes
  $ sfoauth create --name CI_App --contact-email me@example.com --dry-run --output-dir force-app/main/default
  $ sfoauth create --name CI_Server --contact-email me@example.com --target-org my-org \\
      --flow client-credentials --run-as ci@acme.com
  $ sfoauth create --name CI_Jwt --contact-email me@example.com --target-org my-org \\
      --flow jwt-bearer --username admin@acme.com`,
    )
    .action(async (flags: CreateFlags, cmd: Command) => {
      const g = globalsOf(cmd);
      if (ctx.runF) return ctx.runF('create', { flags: { ...flags }, profile: g.profile, json: g.json });
      const { deps } = ctx;
      const interactive = deps.io.canPrompt() && flags.yes !== true;
      let stdinToken: string | undefined;
      if (flags.accessTokenStdin) {
        const { readSecretFromStdin } = await import('../../read-stdin.js');
        stdinToken = await readSecretFromStdin(deps, {
          flag: '--access-token-stdin',
          what: 'Salesforce access token',
          example: 'sf org display --json | jq -r .result.accessToken | sfoauth create … --access-token-stdin',
        });
      }
      const { createOptions, missingFlags, apiNameValid, refuseToReplace, profileForCreate, askFlowFlags, askDeployer } = await import('./options.js');
      const { UsageError } = await import('../../../errors.js');
      // The wizard answers as the flags would, before they become options.
      let settled = flags;
      if (interactive) {
        settled = { ...flags };
        if (!settled.name?.trim()) settled.name = (await deps.prompter.input({ message: 'API name of the app:', validate: apiNameValid })).trim();
        if (!settled.contactEmail?.trim()) settled.contactEmail = (await deps.prompter.input({ message: 'Contact email:' })).trim();
        settled = await askFlowFlags(settled, deps.prompter);
      }
      const plan = createOptions(settled, g, { ...(stdinToken !== undefined ? { stdinToken } : {}), interactive });
      if (interactive && !plan.deployer && !plan.dryRun) plan.deployer = await askDeployer(deps.prompter, g.configDir);
      const missing = missingFlags(plan);
      if (missing.length > 0) {
        throw new UsageError(`sfoauth create cannot ask questions here (no terminal, CI set, or --yes), and these values are missing:\n  ${missing.join('\n  ')}`, {
          hint: 'Pass them as flags, or run `sfoauth create` in a terminal to be asked.',
        });
      }
      const { resolveEcaSpec } = await import('../../../core/salesforce/eca-metadata.js');
      const spec = resolveEcaSpec({ ...plan.spec, name: plan.spec.name!, contactEmail: plan.spec.contactEmail! });
      const store = await deps.openStore(g.configDir);
      if (plan.verify && !plan.dryRun) {
        const defaultName = await store.defaultProfileName();
        plan.verify.profile = profileForCreate({
          requested: plan.profile,
          defaultName,
          defaultExists: (await store.get(defaultName)) !== undefined,
          appName: spec.name,
          deployingProfile: plan.deployer?.kind === 'profile' ? plan.deployer.profile : undefined,
        });
        await refuseToReplace(store, plan.verify.profile, flags.yes === true, interactive, deps.prompter);
      }
      const { runCreate } = await import('../../../app/create.js');
      const { renderCreate } = await import('../../render/create.js');
      const { inFailureContext } = await import('../../../core/salesforce/explain-failure.js');
      const { withWaitSpinner } = await import('../../progress.js');
      // A change to someone's org: the wizard asks before it (--yes and scripts have said so already).
      const confirmDeploy = interactive
        ? (o: { appName: string; host: string; who: string }) => deps.prompter.confirm({ message: `Deploy the External Client App "${o.appName}" to ${o.host} as ${o.who}?`, default: true })
        : undefined;
      const run = () => withWaitSpinner(deps, g.json === true, (d) => runCreate({ ...plan, spec, confirmDeploy }, store, d, (line) => deps.io.err(line)));
      const result = plan.verify ? await inFailureContext({ input: { mode: 'profile', profile: plan.verify.profile }, appType: 'external-client-app' }, run) : await run();
      renderCreate(result, deps.io, g.json === true);
    });
};
