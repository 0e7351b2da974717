/**
 * `sfoauth export`: a profile as env lines, JSON, the values Nango's Salesforce integration needs, or
 * the Salesforce CLI's sfdx-url; to stdout, or with --output to a 0600 file.
 */
import type { Command } from 'commander';
import { globalsOf, type RegisterCommand } from '../context.js';
import type { ExportFormat } from '../export-format.js';

// A literal list (not imported) so registering the command loads nothing; `satisfies` keeps it to ExportFormat.
const FORMATS = ['env', 'json', 'nango', 'sfdx-url'] as const satisfies readonly ExportFormat[];

export const registerExport: RegisterCommand = (program, ctx) => {
  program
    .command('export')
    .description('print a profile as env lines, JSON, Nango settings or an sfdx-url; secrets masked unless --include-secrets')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'env')
    .option('--include-secrets', 'print the client secret and refresh token in clear')
    .option('--output <file>', 'write to this file (mode 0600) instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sfoauth export --format nango\n  $ sfoauth export --format env --include-secrets --output .env.ci   # then store as CI secrets\n  $ sfoauth export --format json --profile sandbox\n' +
        '  $ sfoauth export --format sfdx-url --include-secrets --output auth-url.txt\n  $ sf org login sfdx-url --sfdx-url-file auth-url.txt',
    )
    .action(async (opts: { format: string; includeSecrets?: boolean; output?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { UsageError } = await import('../../errors.js');
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(`Unknown --format "${opts.format}".`, { hint: `Use one of: ${FORMATS.join(', ')}.` });
      }
      // --json on stdout means the json format; another format printed there would not be one JSON document.
      if (g.json && opts.output === undefined) {
        if (cmd.getOptionValueSource('format') === 'default') opts.format = 'json';
        else if (opts.format !== 'json') {
          throw new UsageError(`--json prints JSON, and --format ${opts.format} is not.`, { hint: `Drop --json, use --format json, or write the ${opts.format} text to a file with --output (then --json reports where).` });
        }
      }
      const { loadProfile } = await import('../../app/load-profile.js');
      const { formatExport } = await import('../export-format.js');
      const { name, profile } = await loadProfile(ctx.deps, g);
      const lines = formatExport(name, profile, opts.format as ExportFormat, opts.includeSecrets === true);
      if (opts.format === 'sfdx-url' && profile.instanceUrl?.startsWith('http:')) {
        ctx.deps.io.err('Note: the Salesforce CLI reaches this host over https only (for the emulator, run it with --tls).');
      }
      // A file made from masked values looks like credentials and is not: say so where the person sees it
      // (stderr), since the comment in the output is easy to miss.
      const { refreshTokenOf } = await import('../../core/config/profile.js');
      const masked = opts.includeSecrets !== true && (profile.clientSecret !== undefined || refreshTokenOf(profile) !== undefined);
      const { io } = ctx.deps;
      if (opts.output === undefined) {
        for (const line of lines) io.out(line);
        if (masked && !io.stdoutIsTTY) {
          io.err(`${io.color.yellow('Warning:')} the client secret and refresh token in this output are masked (********), not usable values. Pass --include-secrets to write them (with --output <file> for a 0600 file).`);
        }
        return;
      }
      const { writeSecretFile } = await import('../../platform/secret-file.js');
      await writeSecretFile(opts.output, lines.join('\n') + '\n');
      if (g.json) return io.out(JSON.stringify({ profile: name, format: opts.format, file: opts.output }, null, 2));
      io.err(`Wrote ${opts.format} for profile "${name}" to ${opts.output} (mode 0600)${masked ? ', with the client secret and refresh token masked (pass --include-secrets to write them)' : ''}.`);
    });
};
