/** `sfoauth doctor`: find what is wrong (machine, profile, network, app, token) and say how to fix it. */
import type { Command } from 'commander';
import { globalsOf, type GlobalOptions, type RegisterCommand } from '../../context.js';
import { SilentError } from '../../../errors.js';
import { terminalColumns } from '../../wrap.js';

/** What `sfoauth doctor`'s flags mean, before anything runs. */
export interface DoctorCommandOptions {
  offline: boolean;
  fix: boolean;
  profile?: string;
  configDir?: string;
  json: boolean;
}

export function doctorOptions(raw: { offline?: boolean; fix?: boolean }, g: GlobalOptions): DoctorCommandOptions {
  return {
    offline: raw.offline === true,
    fix: raw.fix === true,
    ...(g.profile ? { profile: g.profile } : {}),
    ...(g.configDir ? { configDir: g.configDir } : {}),
    json: g.json,
  };
}

export const registerDoctor: RegisterCommand = (program, ctx) => {
  program
    .command('doctor')
    .description('diagnose the machine, profile, network, app and token; every problem comes with its fix')
    .option('--offline', 'check only this machine and the profile: no network requests')
    .option('--fix', "tighten the config file's permissions, move a corrupt config file aside (renamed, never rewritten), restore a rotated refresh token left unsaved")
    .addHelpText(
      'after',
      `
Checks, in order (each passes, warns, fails or is skipped, with the fix):
  This machine   Node.js version, config file (valid, mode 0600), no rotated token left unsaved, proxy
                 variables, NODE_EXTRA_CA_CERTS
  Profile        Consumer Key and Secret format, login host for the environment, callback URL and port
  Network        DNS, TCP and TLS to the login and instance hosts, the login host answers, clock skew
  App            Consumer Key and Secret accepted (probed with a made-up refresh token: the saved one
                 is never sent), the authorize endpoint accepts the callback URL(s)
  Token          everything \`sfoauth test\` checks: refresh, signature, userinfo, REST API,
                 introspection, environment (a rotated refresh token is saved, as test does;
                 with SFOAUTH_* variables the refresh token is never spent)

With no profile and no SFOAUTH_* variables, only this machine is checked and doctor says how to
start (\`sfoauth init\`); that alone is not an error (exit 0). --offline skips the network, app and
token groups. --fix changes nothing else, and says so in the line of each check it fixed.
Exit codes: 0 no failures (warnings allowed), 1 Salesforce or a check said no, 2 configuration
(config file, profile, proxy variables), 3 network, 75 another sfoauth held the config lock too long.

Examples:
  $ sfoauth doctor
  $ sfoauth doctor --profile sandbox --offline
  $ sfoauth doctor --fix
  $ sfoauth doctor --json | jq .firstFix`,
    )
    .action(async (raw: { offline?: boolean; fix?: boolean }, cmd: Command) => {
      const o = doctorOptions(raw, globalsOf(cmd));
      if (ctx.runF) return ctx.runF('doctor', o);
      const [{ runDoctor }, { DoctorPrinter, doctorVerdict, doctorJson, githubAnnotations }, { withProgress, liveEvents }] = await Promise.all([
        import('../../../app/doctor.js'),
        import('../../render/doctor.js'),
        import('../../progress.js'),
      ]);
      const { deps } = ctx;
      const io = deps.io;
      // The report goes to stdout group by group as checks land; with --json, only the document at the end.
      const width = terminalColumns(io.stdout, io.stdoutIsTTY);
      const report = await withProgress(io, deps.env, { json: o.json, signal: deps.signal }, (progress) =>
        runDoctor(
          { ...o, notice: (line: string) => io.err(line), ...(o.json ? {} : liveEvents(progress, (run) => new DoctorPrinter(run, io.outColor, width))) },
          deps,
        ),
      );
      if (o.json) io.out(JSON.stringify(doctorJson(report), null, 2));
      else {
        for (const line of doctorVerdict(report, io.outColor, width)) io.out(line);
        // Workflow commands are read from stdout (README "GitHub Actions"); never inside the --json document.
        if (deps.env.GITHUB_ACTIONS === 'true') for (const a of githubAnnotations(report.checks, 'sfoauth doctor')) io.out(a);
      }
      if (!report.ok) throw new SilentError(report.exitCode);
    });
};
