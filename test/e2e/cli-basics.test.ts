/**
 * The built binary's global behaviour, spawned as a shell would run it: help, version, usage errors,
 * colour, and a corrupt config file. Needs `npm run build` first (run-cli.ts says so when dist/ is missing).
 *
 * The `--help` output is compared with test/e2e/__golden__/help.txt. After an intended change to the
 * help text, regenerate it and review the diff:
 *   npm run build && UPDATE_GOLDEN=1 npx vitest run test/e2e/cli-basics.test.ts
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../support/run-cli.js';

const execFileP = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const GOLDEN_HELP = fileURLToPath(new URL('./__golden__/help.txt', import.meta.url));
const STACK_LINE = /^\s+at /m;
const ANSI = /\x1b\[/;
// Commander wraps help at the terminal width only on a TTY (80 columns otherwise); COLUMNS pins it
// anyway in case that ever changes.
const HELP_ENV = { NO_COLOR: '1', COLUMNS: '100' };

beforeAll(() => assertBuilt());

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-basics-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The command names listed under "Commands:" in `sfoauth --help` (without commander's own `help`). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

describe('sfoauth --help and --version', () => {
  it('--help matches the golden file', async () => {
    const r = await runCli(['--help'], { env: HELP_ENV });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN_HELP, r.stdout);
    expect(r.stdout).toBe(await readFile(GOLDEN_HELP, 'utf8'));
  });

  it('--help lists the commands, examples and exit codes', async () => {
    const r = await runCli(['--help'], { env: HELP_ENV });
    expect(commandsIn(r.stdout)).toEqual(expect.arrayContaining(['init', 'steps', 'test', 'explain', 'token', 'status', 'logout', 'export', 'emulator', 'demo']));
    expect(r.stdout).toMatch(/^Examples:$/m);
    expect(r.stdout).toMatch(/^Exit codes:$/m);
    expect(r.stdout).toMatch(/^ {2}130 +cancelled \(Ctrl-C\)$/m);
  });

  it.each([['--version'], ['-V']])('%s prints 0.1.0 and nothing else', async (flag) => {
    const r = await runCli([flag]);
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it("every command's --help exits 0 and shows examples", async () => {
    const names = commandsIn((await runCli(['--help'], { env: HELP_ENV })).stdout);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const results = await Promise.all(names.map(async (name) => ({ name, r: await runCli([name, '--help'], { env: HELP_ENV }) })));
    for (const { name, r } of results) {
      expect(r.code, name).toBe(0);
      expect(r.stderr, name).toBe('');
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: sfoauth ${name}\\b`));
      // `token` has a single (curl) example under "Example:"; every other command lists several.
      expect(r.stdout, `${name} --help has no examples`).toMatch(/^Examples?:\n {2}\$ \S/m);
    }
  });
});

describe('usage errors', () => {
  it.each([
    ['an unknown global flag', ['--bogus'], "error: unknown option '--bogus'"],
    ['an unknown command', ['bogus'], "error: unknown command 'bogus'"],
    ['an unknown command flag', ['steps', '--bogus'], "error: unknown option '--bogus'"],
    ['a missing argument', ['explain'], "error: missing required argument 'text'"],
  ])('%s exits 2 with a message on stderr, nothing on stdout, no stack trace', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('(run with --help for usage)');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('colour', () => {
  // The outputs that could carry colour: help, a guide, an explanation, usage and config errors.
  const runs: string[][] = [
    ['--help'],
    ['steps', '--env', 'sandbox'],
    ['explain', 'invalid_client_id'],
    ['explain', 'nonsense_error_code'],
    ['init'],
    ['status'],
  ];

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['a pipe without NO_COLOR', { NO_COLOR: undefined }],
    ['--no-color, even with FORCE_COLOR', { NO_COLOR: undefined, FORCE_COLOR: '3' }],
  ])('%s: no ANSI escapes on stdout or stderr', async (what, env) => {
    const dir = await tempDir();
    const results = await Promise.all(
      runs.map((args) => runCli(what.startsWith('--no-color') ? ['--no-color', ...args] : args, { env, configDir: dir })),
    );
    results.forEach((r, i) => {
      expect(r.stdout + r.stderr, runs[i]!.join(' ')).not.toMatch(ANSI);
      expect(r.stdout + r.stderr, runs[i]!.join(' ')).not.toBe('');
    });
  });
});

describe('colour is decided per stream', () => {
  it('FORCE_COLOR turns it on in a pipe; FORCE_COLOR=0 and --no-color turn it off', async () => {
    const dir = await tempDir();
    const args = ['steps', '--env', 'sandbox', '--app-type', 'external-client-app'];
    const [forced, forcedOff, noColor, forceBeatsNoColor] = await Promise.all([
      runCli(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' }, configDir: dir }),
      runCli(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '0' }, configDir: dir }),
      runCli(['--no-color', ...args], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' }, configDir: dir }),
      runCli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' }, configDir: dir }),
    ]);
    expect(forced.stdout).toMatch(ANSI);
    expect(forcedOff.stdout).not.toMatch(ANSI);
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(forceBeatsNoColor.stdout).toMatch(ANSI);
  });

  // `script` gives the child a pseudo-terminal, as a real terminal would; both streams start as that terminal.
  it.skipIf(!existsSync('/usr/bin/script'))('in a terminal, stdout redirected to a file gets no ANSI codes while stderr keeps them', async () => {
    const dir = await tempDir();
    const file = join(dir, 'steps.txt');
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    const inner = `${cli} steps --env sandbox --app-type external-client-app > ${JSON.stringify(file)}; ${cli} steps --env bogus; exit 0`;
    const env = { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm', SFOAUTH_CONFIG_DIR: dir };
    const { stdout: terminal } = await execFileP('/usr/bin/script', ['-qec', inner, '/dev/null'], { env, timeout: 15_000 });
    const written = await readFile(file, 'utf8');
    expect(written).toContain('External Client App');
    expect(written).not.toMatch(ANSI);
    expect(terminal).toMatch(/\x1b\[31mError:/);
  });
});

describe('a corrupt config file', () => {
  it.each([
    ['cut-short JSON', '{"version":1,"profiles":{"default":{"env":"production"', /is not valid JSON/, /→ .*move the file aside/],
    ['a profile with bad fields', JSON.stringify({ version: 1, profiles: { ci: { env: 'staging' } } }), /profiles\.ci\.env/, /→ .*move the file aside/],
    ['a newer version', JSON.stringify({ version: 7, profiles: {} }), /written by a newer sfoauth/, /→ Upgrade sfoauth/],
  ])('%s: status exits 2 naming the file, and the bytes stay as they were', async (_what, text, detail, fix) => {
    const dir = await tempDir();
    const file = join(dir, 'config.json');
    await writeFile(file, text, { mode: 0o600 });
    const before = await stat(file);

    const r = await runCli(['status'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(detail);
    expect(r.stderr).toMatch(fix);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('sfoauth steps', () => {
  const NANGO = 'https://api.nango.dev/oauth/callback';
  const CALLBACK = 'http://localhost:1717/OauthRedirect';
  const SCOPE_LABELS = ['Access and manage your data (api)', 'Perform requests on your behalf at any time (refresh_token, offline_access)'];
  const ECA = ['"New External Client App"', '"Distribution State"', '"API (Enable OAuth Settings)"', '"Enable Authorization Code and Credentials Flow"', '"Consumer Key and Secret"', '"Policies" tab'];
  const CA = ['"Allow creation of connected apps"', '"New Connected App"', '"Enable OAuth Settings"', '"Introspect All Tokens"', '"Manage Consumer Details"', '"Manage Connected Apps"', 'Connected Apps are being retired'];
  const MIGRATE = ['"Migrate to External Client App"', 'read-only', '"Consumer Key and Secret"'];
  const HOST = { production: 'https://login.salesforce.com', sandbox: 'https://test.salesforce.com' } as const;
  const NANGO_INTEGRATION = { production: 'Pick its "salesforce" integration', sandbox: 'Pick its "salesforce-sandbox" integration' } as const;

  const cases = (['production', 'sandbox'] as const).flatMap((env) => [
    { env, args: ['--app-type', 'external-client-app'], labels: ECA },
    { env, args: ['--app-type', 'connected-app'], labels: CA },
    { env, args: ['--migrate'], labels: MIGRATE },
  ]);

  it.each(cases)('$env $args: the Setup labels and each callback URL on a line of its own', async ({ env, args, labels }) => {
    const r = await runCli(['steps', '--env', env, ...args, '--extra-callback-url', NANGO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const label of [...labels, ...SCOPE_LABELS, HOST[env], NANGO_INTEGRATION[env], 'Refresh token is valid until revoked']) {
      expect(r.stdout, label).toContain(label);
    }
    const lines = r.stdout.split('\n').map((l) => l.trim());
    expect(lines).toContain(CALLBACK);
    expect(lines).toContain(NANGO);
    // The other environment's login host is never offered.
    expect(r.stdout).not.toContain(HOST[env === 'production' ? 'sandbox' : 'production']);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('Nango environment names work as --env values', async () => {
    const [a, b] = await Promise.all([runCli(['steps', '--env', 'salesforce-sandbox']), runCli(['steps', '--env', 'sandbox'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it.each([
    [['--env', 'staging'], 'Unknown environment "staging"'],
    [['--app-type', 'canvas'], 'Unknown app type "canvas"'],
  ])('%j exits 2 with what is accepted', async (args, message) => {
    const r = await runCli(['steps', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/→ Use --/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--json prints the guide as one JSON document', async () => {
    const r = await runCli(['--json', 'steps', '--env', 'sandbox']);
    expect(r.code).toBe(0);
    const guide = JSON.parse(r.stdout) as { title: string };
    expect(guide.title).toContain('(sandbox)');
  });

  it('a reader that is gone (`sfoauth steps | true`) does not crash sfoauth with a stack trace', async () => {
    // stdout's reader closes before sfoauth writes, so its writes fail with EPIPE (as after `| head -1`).
    const child = spawn(process.execPath, [BIN, 'steps', '--env', 'sandbox'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.stdout.destroy();
    const [code] = (await once(child, 'close')) as [number | null];
    expect(err).not.toMatch(STACK_LINE);
    expect(err).not.toContain('EPIPE');
    expect(code).not.toBeNull(); // it ended by itself, not by a signal
  });
});

describe('sfoauth explain', () => {
  it('a code: exit 0 with cause and fix', async () => {
    const r = await runCli(['explain', 'invalid_client_id']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^invalid_client_id$/m);
    expect(r.stdout).toMatch(/^ {2}Cause: .*up to 10 minutes to propagate/m);
    expect(r.stdout).toMatch(/^ {2}Fix: +.*--wait 10/m);
    expect(r.stdout).toMatch(/^ {2}Setup: External Client App: Setup → /m);
  });

  it('a pasted redirect URL with error and error_description', async () => {
    const r = await runCli(['explain', 'http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user%20denied%20authorization&state=abc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^access_denied: end-user denied authorization$/m);
    expect(r.stdout).toContain('The user clicked Deny');
    expect(r.stdout).toMatch(/Fix: +Run the flow again and click Allow/);
  });

  it('a JSON body from the token endpoint', async () => {
    const r = await runCli(['explain', '{"error":"invalid_grant","error_description":"expired access/refresh token"}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^invalid_grant: expired access\/refresh token$/m);
    expect(r.stdout).toContain('Refresh token is valid until revoked');
  });

  it('text on stdin with "-"', async () => {
    const r = await runCli(['explain', '-'], { stdin: 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^redirect_uri_mismatch: redirect_uri must match configuration$/m);
  });

  it('an unknown code: exit 1 with the closest known codes', async () => {
    const r = await runCli(['explain', 'invalid_clent_id']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('sfoauth does not know this error: invalid_clent_id');
    expect(r.stdout).toMatch(/Closest known: invalid_client_id\b/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--json: one document, known and unknown (exit 1 for unknown)', async () => {
    const known = await runCli(['--json', 'explain', 'invalid_client_id']);
    expect(known.code).toBe(0);
    const doc = JSON.parse(known.stdout) as { input: string; matches: Array<Record<string, unknown>> };
    expect(doc.input).toBe('invalid_client_id');
    expect(doc.matches).toHaveLength(1);
    expect(doc.matches[0]).toMatchObject({ code: 'invalid_client_id', known: true, cause: expect.stringContaining('propagate'), fix: expect.any(String) });

    const unknown = await runCli(['explain', '--json', 'invalid_clent_id']);
    expect(unknown.code).toBe(1);
    const u = JSON.parse(unknown.stdout) as { matches: Array<{ known: boolean; closest: string[] }> };
    expect(u.matches[0]).toMatchObject({ known: false });
    expect(u.matches[0]!.closest).toContain('invalid_client_id');
  });

  it('a pasted secret is not echoed back', async () => {
    const secret = 'aPrx' + 'Q'.repeat(60) + '==';
    const r = await runCli(['explain', `http://localhost:1717/OauthRedirect?code=${encodeURIComponent(secret)}&error=invalid_request&error_description=bad`]);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(secret));
  });
});
