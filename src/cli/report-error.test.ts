/**
 * --json failures: every kind of error becomes one document on stdout ({ok: false, error: {code,
 * message, fix}}) with the exit code it has without --json, and nothing on stderr (README.md "JSON output").
 */
import { describe, expect, it } from 'vitest';
import { commander } from './commander.js';
import { reportError, type ErrorDocument } from './report-error.js';
import { main, jsonRequested } from '../main.js';
import {
  CancelledError,
  ConfigError,
  LockTimeoutError,
  NetworkError,
  NotConfiguredError,
  SalesforceError,
  SilentError,
  UsageError,
  publicErrorCode,
} from '../errors.js';
import { explainFailure, failureOf } from '../core/salesforce/explain-failure.js';
import type { Deps } from '../deps.js';
import { createTestIO } from '../../test/support/test-io.js';
import { PassThrough, Readable, Writable } from 'node:stream';
import { createIO } from './io.js';

async function asJson(err: unknown): Promise<{ code: number; doc: ErrorDocument; stderr: string }> {
  const t = createTestIO();
  const code = await reportError(err, t.io, { json: true });
  const out = t.stdout();
  return { code, doc: JSON.parse(out) as ErrorDocument, stderr: t.stderr() };
}

describe('reportError with --json', () => {
  it('a configuration error: code config, its issues and file, exit 2, stderr quiet', async () => {
    const r = await asJson(new ConfigError('config.json is invalid.', { issues: ['profiles.ci.loginUrl: not a URL'], file: '/x/config.json', hint: 'Fix the file.' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.doc).toEqual({
      ok: false,
      error: { code: 'config', message: 'config.json is invalid.', fix: 'Fix the file.', exitCode: 2, issues: ['profiles.ci.loginUrl: not a URL'], file: '/x/config.json' },
    });
  });

  it('a Salesforce refusal: salesforce:<error>, with the explanation the human output shows', async () => {
    const err = new SalesforceError('token', 'invalid_grant', 'expired access/refresh token', { status: 400 });
    err.failureContext = { input: { mode: 'profile', profile: 'ci' }, appType: 'connected-app' };
    const want = explainFailure(failureOf(err), err.failureContext);
    const r = await asJson(err);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.doc.error).toMatchObject({ code: 'salesforce:invalid_grant', fix: want.fix, cause: want.cause, setup: want.setup, endpoint: 'token', status: 400 });
    expect(r.doc.error.fix).toContain('sfoauth init --profile ci');
  });

  it('network errors are all `network` (a timeout says so in reason), exit 3', async () => {
    const r = await asJson(new NetworkError('timeout', 'login.salesforce.com', 'No answer from login.salesforce.com in 30 s.'));
    expect(r.code).toBe(3);
    expect(r.doc.error).toMatchObject({ code: 'network', reason: 'timeout', host: 'login.salesforce.com', exitCode: 3 });
  });

  it('lock busy (75), cancelled (130), not configured (2): their codes and exit codes', async () => {
    expect((await asJson(new LockTimeoutError('Another sfoauth holds the lock.'))).doc.error).toMatchObject({ code: 'busy', exitCode: 75 });
    expect((await asJson(new CancelledError())).doc.error).toEqual({ code: 'cancelled', message: 'Cancelled.', fix: null, exitCode: 130 });
    expect((await asJson(new NotConfiguredError('No profile.'))).doc.error).toMatchObject({ code: 'not-configured', exitCode: 2 });
    expect((await asJson(new CancelledError())).code).toBe(130);
  });

  it('an unexpected error: code internal, no stack trace, home directory not shown', async () => {
    const err = new TypeError(`Cannot read properties of undefined (reading 'x') in ${process.env.HOME ?? '/home/u'}/project`);
    const r = await asJson(err);
    expect(r.code).toBe(1);
    expect(r.doc.error.code).toBe('internal');
    expect(r.doc.error.fix).toMatch(/bug/);
    expect(JSON.stringify(r.doc)).not.toMatch(/\n\s+at |report-error\.test/);
    if (process.env.HOME && process.env.HOME.length > 1) expect(r.doc.error.message).not.toContain(process.env.HOME);
  });

  it('a report already printed (SilentError): nothing more, on either stream', async () => {
    const t = createTestIO();
    expect(await reportError(new SilentError(1), t.io, { json: true })).toBe(1);
    expect(t.stdout() + t.stderr()).toBe('');
  });

  it("commander's usage errors become a usage document naming the command's --help", async () => {
    const t = createTestIO();
    const err = new commander.CommanderError(1, 'commander.unknownOption', "error: unknown option '--nope'");
    expect(await reportError(err, t.io, { json: true, command: 'init' })).toBe(2);
    expect(JSON.parse(t.stdout())).toEqual({
      ok: false,
      error: { code: 'usage', message: "unknown option '--nope'", fix: 'Run `sfoauth init --help` for its options.', exitCode: 2 },
    });
  });

  it('without --json nothing goes to stdout', async () => {
    const t = createTestIO();
    await reportError(new UsageError('Bad flag.', { hint: 'Use another.' }), t.io);
    expect(t.stdout()).toBe('');
    expect(t.stderr()).toContain('Error: Bad flag.');
  });
});

describe('publicErrorCode', () => {
  it('is the class code without its prefix, lower case with hyphens', () => {
    expect(publicErrorCode(new NotConfiguredError('x'))).toBe('not-configured');
    expect(publicErrorCode(new LockTimeoutError('x'))).toBe('busy');
    expect(publicErrorCode(new SalesforceError('rest', 'API_DISABLED_FOR_ORG', undefined))).toBe('salesforce:API_DISABLED_FOR_ORG');
  });
});

describe('main with --json', () => {
  const run = async (argv: string[]) => {
    const t = createTestIO();
    const code = await main(argv, { io: t.io, env: {} } as unknown as Deps);
    return { code, stdout: t.stdout(), stderr: t.stderr() };
  };

  it("commander prints nothing; the document carries its message (unknown option, missing argument, no command)", async () => {
    for (const argv of [['--json', 'init', '--nope'], ['explain', '--json'], ['--json'], ['--json', 'nope']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toBe('');
      const doc = JSON.parse(r.stdout) as ErrorDocument;
      expect(doc.ok).toBe(false);
      expect(doc.error.code).toBe('usage');
      expect(doc.error.message).not.toMatch(/^error:/);
    }
  });

  it('without --json commander still prints its message on stderr', async () => {
    const r = await run(['init', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--nope'");
  });

  it('jsonRequested: --json anywhere before `--`', () => {
    expect(jsonRequested(['test', '--json'])).toBe(true);
    expect(jsonRequested(['explain', '--', '--json'])).toBe(false);
    expect(jsonRequested(['status'])).toBe(false);
  });
});

describe('error lines on a terminal', () => {
  it('wrap a hint to the width, each of its lines continuing under the text after "→ "', async () => {
    const chunks: string[] = [];
    const stderr = Object.assign(new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) }), { columns: 40 });
    const io = createIO({ stdin: Readable.from([]), stdout: new PassThrough(), stderr, stderrIsTTY: true });
    const hint = 'Run `sfoauth init --profile ci` again and log in as the user the tokens are for.\nOr pass --config-dir to use another configuration directory.';
    await reportError(new UsageError('No profile.', { hint }), io);
    expect(chunks.join('')).toBe(
      [
        'Error: No profile.',
        '→ Run `sfoauth init --profile ci` again',
        '  and log in as the user the tokens are',
        '  for.',
        '→ Or pass --config-dir to use another',
        '  configuration directory.',
        '',
      ].join('\n'),
    );
  });
});
