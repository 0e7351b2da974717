/** `sfoauth export`: a profile as env lines, JSON, or the values Nango's Salesforce integration needs. */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';

const FORMATS = ['env', 'json', 'nango'] as const;
type Format = (typeof FORMATS)[number];

export const registerExport: RegisterCommand = (program, ctx) => {
  program
    .command('export')
    .description('print a profile as env lines, JSON, or Nango settings; secrets masked unless --include-secrets')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'env')
    .option('--include-secrets', 'print the client secret and refresh token in clear')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sfoauth export --format nango\n  $ sfoauth export --format env --include-secrets > .env.ci   # then store as CI secrets\n  $ sfoauth export --format json --profile sandbox',
    )
    .action(async (opts: { format: string; includeSecrets?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { UsageError } = await import('../../errors.js');
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(`Unknown --format "${opts.format}".`, { hint: `Use one of: ${FORMATS.join(', ')}.` });
      }
      const { loadProfile } = await import('../load-profile.js');
      const { formatExport } = await import('../export-format.js');
      const { name, profile } = await loadProfile(ctx.deps, g);
      for (const line of formatExport(name, profile, opts.format as Format, opts.includeSecrets === true)) ctx.deps.io.out(line);
    });
};
