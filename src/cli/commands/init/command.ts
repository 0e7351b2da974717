/** `sfoauth init`: the wizard (or the same with flags) that registers an app and completes OAuth with PKCE. */
import type { Command } from 'commander';
import { commander } from '../../commander.js';
import { globalsOf, type RegisterCommand } from '../../context.js';
import type { InitFlags } from '../../../app/init-options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command('init')
    .description('register a Salesforce OAuth app step by step, log in with PKCE, verify, and save a profile')
    .option('--env <env>', 'production or sandbox (also salesforce / salesforce-sandbox)')
    .option('--app-type <type>', 'external-client-app (default) or connected-app')
    .option('--login-url <url>', 'login host: login.salesforce.com, test.salesforce.com, or a My Domain')
    .option('--client-id <key>', 'the Consumer Key (env: SFOAUTH_CLIENT_ID)')
    .option('--client-secret-stdin', 'read the Consumer Secret from stdin; on a terminal, a masked prompt (env: SFOAUTH_CLIENT_SECRET)')
    .option('--callback-url <url>', 'local callback sfoauth listens on (default http://localhost:1717/OauthRedirect)')
    .option('--extra-callback-url <url>', 'another callback to register (e.g. https://api.nango.dev/oauth/callback); repeatable', collect)
    .option('--scopes <scopes>', 'OAuth scopes (default "api refresh_token")')
    .option('--no-browser', 'do not open a browser; print the URL (and accept a pasted redirect)')
    .option('--timeout <seconds>', 'how long to wait for the callback', '300')
    .option('--wait <minutes>', 'keep re-checking invalid_client_id while a new app propagates (default 10 in the wizard, else 0)')
    .option('--flow <flow>', 'web-server (default, browser login), client-credentials or jwt-bearer (env: SFOAUTH_FLOW)')
    .option('--private-key <file>', 'jwt-bearer: the PEM private key file (default: generate a key and certificate)')
    .option('--username <user>', 'jwt-bearer: the Salesforce username the token is for (env: SFOAUTH_USERNAME)')
    .option('-y, --yes', 'accept defaults, never prompt, replace an existing profile')
    .addOption(new commander.Option('--poll-interval <seconds>', 'propagation re-check interval').hideHelp())
    // Accepted only to refuse it with the reason (commander would say just "unknown option").
    .addOption(new commander.Option('--client-secret <secret>').hideHelp())
    .addHelpText(
      'after',
      `
The Consumer Secret is never a plain flag (it would land in shell history): use the prompt,
--client-secret-stdin, or SFOAUTH_CLIENT_SECRET.

Examples:
  $ sfoauth init
  $ sfoauth init --env sandbox --extra-callback-url https://api.nango.dev/oauth/callback
  $ printf %s "$SECRET" | sfoauth init --env production --client-id 3MVG9… --client-secret-stdin --no-browser
  $ printf %s "$SECRET" | sfoauth init --flow client-credentials --login-url https://acme.my.salesforce.com --client-id 3MVG9… --client-secret-stdin
  $ sfoauth init --flow jwt-bearer --client-id 3MVG9… --username ci@acme.com --private-key ./server.key`,
    )
    .action(async (flags: InitFlags & { clientSecret?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (flags.clientSecret !== undefined) {
        // The value is never repeated: it is a secret, and it is already in the shell's history.
        const { UsageError } = await import('../../../errors.js');
        throw new UsageError('sfoauth never takes the Consumer Secret as a flag: a flag stays in your shell history and shows in `ps` to every user of the machine.', {
          hint: 'Pipe it in: printf %s "$SECRET" | sfoauth init … --client-secret-stdin; or set SFOAUTH_CLIENT_SECRET; or leave it out in a terminal to be asked (masked). Consider rotating the secret if it was typed on a shared machine.',
        });
      }
      // init's options need the store and maybe the wizard (resolve.ts); the hook sees the flags as parsed.
      if (ctx.runF) return ctx.runF('init', { flags: { ...flags }, profile: g.profile, json: g.json });
      const { deps } = ctx;
      const { resolveInitOptions } = await import('./resolve.js');
      const { runInit } = await import('../../../app/init.js');
      const { printInitResult } = await import('../../render/init.js');
      const stdinSecret = flags.clientSecretStdin ? await readClientSecret(deps) : undefined;
      const store = await deps.openStore(g.configDir);
      const opts = await resolveInitOptions(flags, g, stdinSecret, store, deps);
      const { inFailureContext } = await import('../../../core/salesforce/explain-failure.js');
      const failureContext = { input: { mode: 'profile', profile: opts.profile }, appType: opts.appType, ...(opts.flow === 'web-server' ? { callbackUrl: opts.callbackUrl } : {}) } as const;
      if (opts.flow !== 'web-server') {
        const { runServerInit } = await import('../../../app/init-server.js');
        const { keyGeneratedPrompt } = await import('./key-generated.js');
        const outcome = await inFailureContext(failureContext, () => runServerInit(opts, store, deps, keyGeneratedPrompt(opts, deps)));
        if ('generated' in outcome) {
          if (g.json) deps.io.out(JSON.stringify({ ok: true, saved: false, keyFile: outcome.generated.keyFile, certificateFile: outcome.generated.certificateFile }, null, 2));
          return;
        }
        printInitResult(outcome, deps.io, g.json);
        return;
      }
      const { withWaitSpinner } = await import('../../progress.js');
      const result = await withWaitSpinner(deps, g.json, (d) => inFailureContext(failureContext, () => runInit(opts, store, d)));
      printInitResult(result, deps.io, g.json);
    });
};

async function readClientSecret(deps: Parameters<typeof import('../../read-stdin.js').readSecretFromStdin>[0]): Promise<string> {
  const { readSecretFromStdin } = await import('../../read-stdin.js');
  return readSecretFromStdin(deps, {
    flag: '--client-secret-stdin',
    what: 'Consumer Secret',
    example: 'printf %s "$SECRET" | sfoauth init … --client-secret-stdin',
  });
}
