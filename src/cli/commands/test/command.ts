/** `sfoauth test`: non-interactive verification of a profile or SFOAUTH_* variables, for CI. */
import type { Command } from 'commander';
import { globalsOf, type GlobalOptions, type RegisterCommand } from '../../context.js';
import { SilentError } from '../../../errors.js';
import { maxForTimer, parseStrictNumber } from '../../../core/number-input.js';
import { terminalColumns } from '../../wrap.js';

/** What `sfoauth test`'s flags mean, before anything runs. */
export interface TestCommandOptions {
  timeoutSeconds: number;
  profile?: string;
  configDir?: string;
  rotatedTokenFile?: string;
  json: boolean;
}

export function testOptions(raw: { timeout: string; rotatedTokenFile?: string }, g: GlobalOptions): TestCommandOptions {
  return {
    timeoutSeconds: parseStrictNumber('--timeout', raw.timeout, { min: 0, aboveMin: true, max: maxForTimer(1000), unit: 'seconds' }),
    ...(g.profile ? { profile: g.profile } : {}),
    ...(g.configDir ? { configDir: g.configDir } : {}),
    ...(raw.rotatedTokenFile ? { rotatedTokenFile: raw.rotatedTokenFile } : {}),
    json: g.json,
  };
}

export const registerTest: RegisterCommand = (program, ctx) => {
  program
    .command('test')
    .description('verify a profile (or SFOAUTH_* env vars) end to end, for CI; never prompts')
    .option('--timeout <seconds>', 'bound on the whole run', '60')
    .option('--rotated-token-file <path>', 'env-var mode: where to write a rotated refresh token (atomically, mode 0600; env SFOAUTH_ROTATED_TOKEN_FILE)')
    .addHelpText(
      'after',
      `
Inputs: --profile NAME, or the variables SFOAUTH_CLIENT_ID, SFOAUTH_CLIENT_SECRET, SFOAUTH_REFRESH_TOKEN,
SFOAUTH_INSTANCE_URL, SFOAUTH_LOGIN_URL, SFOAUTH_ENV (when SFOAUTH_REFRESH_TOKEN is set they win over the file).
If the app rotates refresh tokens, env-var mode needs --rotated-token-file (or SFOAUTH_ROTATED_TOKEN_FILE):
write that file back to the CI secret after the run (README: "GitHub Actions"). A refresh in flight is
never cut off by --timeout or Ctrl-C: it finishes (60 s bound) and the new token is saved first.

Examples:
  $ sfoauth test
  $ sfoauth test --profile ci --json
  $ SFOAUTH_CLIENT_ID=… SFOAUTH_CLIENT_SECRET=… SFOAUTH_REFRESH_TOKEN=… sfoauth test --json`,
    )
    .action(async (raw: { timeout: string; rotatedTokenFile?: string }, cmd: Command) => {
      const o = testOptions(raw, globalsOf(cmd));
      if (ctx.runF) return ctx.runF('test', o);
      const [{ runTest }, { TestPrinter, renderTestSummary, testJson, githubAnnotations }, { withProgress, liveEvents }] = await Promise.all([
        import('../../../app/test.js'),
        import('../../render/test.js'),
        import('../../progress.js'),
      ]);
      const { deps } = ctx;
      const io = deps.io;
      // The report goes to stdout as each check lands; with --json, only the document at the end.
      const width = terminalColumns(io.stdout, io.stdoutIsTTY);
      const report = await withProgress(io, deps.env, { json: o.json, signal: deps.signal }, (progress) =>
        runTest(
          {
            timeoutSeconds: o.timeoutSeconds,
            ...(o.profile ? { profile: o.profile } : {}),
            ...(o.configDir ? { configDir: o.configDir } : {}),
            ...(o.rotatedTokenFile ? { rotatedTokenFile: o.rotatedTokenFile } : {}),
            notice: (line: string) => io.err(line),
            ...(o.json ? {} : liveEvents(progress, (run) => new TestPrinter(run, io.outColor, width))),
          },
          deps,
        ),
      );
      if (o.json) io.out(JSON.stringify(testJson(report), null, 2));
      else {
        for (const line of renderTestSummary(report, io.outColor)) io.out(line);
        // Workflow commands are read from stdout (README "GitHub Actions"); never inside the --json document.
        if (deps.env.GITHUB_ACTIONS === 'true') for (const a of githubAnnotations(report.checks, 'sfoauth test')) io.out(a);
      }
      if (!report.ok) throw new SilentError(report.exitCode);
    });
};
