/**
 * `sfoauth demo`: the whole product against an in-process emulator, for a newcomer without an org. It
 * runs what `init` runs (Setup steps, PKCE flow, verification, save), then `test` and `doctor`, on a
 * temporary config dir, printing what a real run prints.
 */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

export const registerDemo: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('run init, test and doctor end to end against a built-in Salesforce emulator (no org needed)')
    .option('--sandbox', 'emulate a sandbox org (Nango: salesforce-sandbox)')
    .option('--app-type <type>', 'external-client-app (default) or connected-app')
    .option('--browser', 'log in through the emulator\'s pages in your real browser instead of approving automatically')
    .addHelpText('after', '\nExamples:\n  $ sfoauth demo\n  $ sfoauth demo --sandbox --browser')
    .action(async (opts: { sandbox?: boolean; appType?: string; browser?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { runDemo } = await import('./demo-run.js');
      await runDemo(
        {
          sandbox: opts.sandbox === true,
          browser: opts.browser === true,
          ...(opts.appType ? { appType: opts.appType } : {}),
          ...(g.configDir ? { configDir: g.configDir } : {}),
          json: g.json,
        },
        ctx.deps,
      );
    });
};
