/**
 * `--json`, command by command, through the built binary: stdout holds exactly one JSON document on
 * success and on failure, and the exit code is the one the command has without --json (README.md "JSON
 * output"). Each document's shape (keys and value types; for failures also the error code and exit code)
 * is compared with test/e2e/__golden__/json/<command>.json. After an intended change to a document, run
 * `npx vitest run test/e2e/json-output.test.ts -u` and review the diff of the golden files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { REPO_ROOT, assertBuilt, runCli, type CliResult, type RunCliOptions } from '../support/run-cli.js';
import { emulatorProfileForTest, type EmulatorProfile } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/json/', import.meta.url));
const captured: string[] = [];
const allSecrets: string[] = [];
let emptyDir: string;

beforeAll(async () => {
  assertBuilt();
  emptyDir = await mkdtemp(join(tmpdir(), 'sfoauth-json-'));
});

afterAll(async () => {
  await rm(emptyDir, { recursive: true, force: true });
});

/** Keys and value types, not values: what a consumer's parser relies on. Arrays by their first item. */
function shape(v: unknown): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

/** The one JSON document on stdout; fails with both streams when there is anything else. */
function documentOf(r: CliResult): Record<string, unknown> {
  try {
    const doc: unknown = JSON.parse(r.stdout);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
    return doc as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${String(r.code)}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

async function cli(args: string[], opts: RunCliOptions & { stdoutHasSecrets?: boolean } = {}): Promise<CliResult> {
  const r = await runCli(args, { configDir: emptyDir, ...opts });
  if (r.timedOut) throw new Error(`sfoauth ${args.join(' ')} did not finish in time; stderr:\n${r.stderr}`);
  captured.push(r.stderr);
  if (!opts.stdoutHasSecrets) captured.push(r.stdout);
  return r;
}

/** A success document: exit 0, and its shape matches the golden file. */
async function expectSuccess(command: string, r: CliResult): Promise<Record<string, unknown>> {
  const doc = documentOf(r);
  expect(r.code, r.stderr).toBe(0);
  expect(doc.ok).not.toBe(false);
  await expectGolden(command, 'success', shape(doc));
  return doc;
}

/** A failure document: {ok: false, error: {code, message, fix, exitCode}}, the exit code it names, nothing on stderr. */
async function expectFailure(command: string, name: string, r: CliResult, want: { code: string; exitCode: number }): Promise<Record<string, unknown>> {
  const doc = documentOf(r) as { ok: unknown; error: Record<string, unknown> };
  expect(doc.ok).toBe(false);
  expect(doc.error).toMatchObject(want);
  expect(r.code).toBe(want.exitCode);
  expect(typeof doc.error.message).toBe('string');
  expect(doc.error.message).not.toBe('');
  expect(doc.error.fix === null || typeof doc.error.fix === 'string').toBe(true);
  expect(r.stderr, 'stderr stays quiet when the error is in the document').toBe('');
  await expectGolden(command, name, { code: want.code, exitCode: want.exitCode, shape: shape(doc) });
  return doc.error;
}

/** One golden file per case (the cases of a file run concurrently, so they cannot share one). */
async function expectGolden(command: string, name: string, value: unknown): Promise<void> {
  await expect(`${JSON.stringify(value, null, 2)}\n`).toMatchFileSnapshot(join(GOLDEN_DIR, `${command}.${name}.json`));
}

function fixture(ctx: Pick<TestContext, 'onTestFinished'>): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: allSecrets, captured });
}

describe('usage errors are JSON too', () => {
  it('an unknown option, a missing argument, no command: code usage, exit 2, commander quiet', async () => {
    const unknown = await expectFailure('usage', 'unknown-option', await cli(['--json', 'init', '--nope']), { code: 'usage', exitCode: 2 });
    expect(unknown.message).toContain("unknown option '--nope'");
    expect(unknown.fix).toContain('sfoauth init --help');
    await expectFailure('usage', 'missing-argument', await cli(['explain', '--json']), { code: 'usage', exitCode: 2 });
    await expectFailure('usage', 'no-command', await cli(['--json']), { code: 'usage', exitCode: 2 });
  });

  it('a bad flag value (test --timeout abc) is a usage document with the same exit code as without --json', async () => {
    const human = await cli(['test', '--timeout', 'abc']);
    const json = await cli(['test', '--timeout', 'abc', '--json']);
    expect(json.code).toBe(human.code);
    await expectFailure('usage', 'bad-value', json, { code: 'usage', exitCode: 2 });
  });

  it('a corrupt config file: code config with its issues and file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfoauth-json-bad-'));
    try {
      await writeFile(join(dir, 'config.json'), '{not json', { mode: 0o600 });
      const error = await expectFailure('status', 'config', await cli(['status', '--json'], { configDir: dir }), { code: 'config', exitCode: 2 });
      expect(error.issues).toEqual([expect.stringContaining('line 1')]);
      expect(error.file).toBe(join(dir, 'config.json'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('each command: one document on success and on failure', () => {
  it('token: {accessToken, instanceUrl}, never the refresh token or the secret', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(['token', '--json'], { configDir: f.configDir, stdoutHasSecrets: true });
    const doc = await expectSuccess('token', r);
    expect(doc.instanceUrl).toBe(f.emulator.instanceUrl);
    expect(typeof doc.accessToken).toBe('string');
    const stored = await f.store.get(f.profileName);
    const refreshToken = stored && 'refreshToken' in stored ? stored.refreshToken : undefined;
    for (const secret of [f.app.clientSecret, refreshToken]) if (secret) expect(r.stdout).not.toContain(secret);
    allSecrets.push(doc.accessToken as string);
  });

  it('token: a revoked refresh token is salesforce:invalid_grant with the fix; an unreachable host is network', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.revokeAll();
    const refused = await expectFailure('token', 'salesforce', await cli(['--json', 'token'], { configDir: f.configDir }), { code: 'salesforce:invalid_grant', exitCode: 1 });
    expect(refused.fix).toContain('sfoauth init --profile default');
    await f.emulator.close();
    const down = await expectFailure('token', 'network', await cli(['--json', 'token'], { configDir: f.configDir, timeoutMs: 30_000 }), { code: 'network', exitCode: 3 });
    expect(down.reason).toBe('refused');
  });

  it('token while another sfoauth holds the lock: busy (75) when the wait runs out, cancelled (130) on Ctrl-C', async (ctx) => {
    const f = await fixture(ctx);
    await f.store.withLock(async () => {
      const busy = await cli(['--json', 'token'], { configDir: f.configDir, env: { SFOAUTH_LOCK_TIMEOUT: '1' } });
      await expectFailure('token', 'busy', busy, { code: 'busy', exitCode: 75 });
      const cancelled = await runUntilInterrupted(['--json', 'token'], { SFOAUTH_CONFIG_DIR: f.configDir, SFOAUTH_LOCK_TIMEOUT: '60' });
      captured.push(cancelled.stdout, cancelled.stderr);
      await expectFailure('token', 'cancelled', cancelled, { code: 'cancelled', exitCode: 130 });
    });
  });

  it('status, export, logout on a saved profile; then not-configured once it is gone', async (ctx) => {
    const f = await fixture(ctx);
    const c = { configDir: f.configDir };
    await expectSuccess('status', await cli(['status', '--json'], c));
    const exported = await expectSuccess('export', await cli(['export', '--json'], c));
    expect(exported.instanceUrl).toBe(f.emulator.instanceUrl);
    const file = join(f.configDir, 'export.env');
    const written = await expectSuccess('export-output', await cli(['export', '--json', '--output', file], c));
    expect(written).toEqual({ profile: 'default', format: 'env', file });
    await expectFailure('export', 'format-conflict', await cli(['export', '--json', '--format', 'env'], c), { code: 'usage', exitCode: 2 });
    const removed = await expectSuccess('logout', await cli(['logout', '--json', '--yes'], c));
    expect(removed).toMatchObject({ removed: 'default', revoked: false });
    await expectFailure('logout', 'not-configured', await cli(['logout', '--json', '--yes'], c), { code: 'not-configured', exitCode: 2 });
    await expectFailure('export', 'not-configured', await cli(['export', '--json'], c), { code: 'not-configured', exitCode: 2 });
  });

  it('logout --revoke that Salesforce cannot reach: one document, the profile kept', async (ctx) => {
    const f = await fixture(ctx);
    await f.emulator.close();
    const error = await expectFailure('logout', 'revoke-failed', await cli(['logout', '--json', '--yes', '--revoke'], { configDir: f.configDir, timeoutMs: 30_000 }), { code: 'network', exitCode: 3 });
    expect(error.fix).toContain('was kept');
    expect(await f.store.get(f.profileName)).toBeDefined();
  });

  it('test and doctor: the report is the document, passing or failing', async (ctx) => {
    const f = await fixture(ctx);
    const c = { configDir: f.configDir };
    await expectSuccess('test', await cli(['test', '--json'], c));
    await expectSuccess('doctor', await cli(['doctor', '--json'], c));
    f.emulator.revokeAll();
    const failed = await cli(['test', '--json'], c);
    expect(failed.code).toBe(1);
    expect(documentOf(failed).ok).toBe(false);
    await expectFailure('test', 'usage', await cli(['test', '--json', '--timeout', '0'], c), { code: 'usage', exitCode: 2 });
    await expectFailure('doctor', 'usage', await cli(['doctor', '--json', '--nope'], c), { code: 'usage', exitCode: 2 });
  });

  it('steps and explain', async () => {
    await expectSuccess('steps', await cli(['--json', 'steps', '--env', 'sandbox']));
    await expectFailure('steps', 'usage', await cli(['--json', 'steps', '--env', 'nope']), { code: 'usage', exitCode: 2 });
    await expectSuccess('explain', await cli(['--json', 'explain', 'invalid_client_id']));
    await expectFailure('explain', 'usage', await cli(['--json', 'explain', ' ']), { code: 'usage', exitCode: 2 });
  });

  it('init and create: a failure before any network is one document', async () => {
    await expectFailure('init', 'usage', await cli(['--json', 'init', '--client-id', 'x', '--client-secret-stdin'], { stdin: '' }), { code: 'usage', exitCode: 2 });
    await expectFailure('create', 'usage', await cli(['--json', 'create']), { code: 'usage', exitCode: 2 });
  });

  it('demo: a summary document; a bad flag is a usage document', async () => {
    await expectSuccess('demo', await cli(['--json', 'demo'], { timeoutMs: 60_000 }));
    await expectFailure('demo', 'usage', await cli(['--json', 'demo', '--app-type', 'nope']), { code: 'usage', exitCode: 2 });
  });

  it('emulator: the ready document, then a clean stop on Ctrl-C; a bad --fault is a usage document', async () => {
    // The ready document carries the emulator's own made-up secrets: not captured for the scan.
    await expectSuccess('emulator', await runUntilInterrupted(['--json', 'emulator', '--port', '0'], {}, true));
    await expectFailure('emulator', 'usage', await cli(['--json', 'emulator', '--fault', 'nope']), { code: 'usage', exitCode: 2 });
  });
});

it('no secret reached any captured output (token stdout aside)', () => {
  expectNoSecrets(captured, allSecrets);
});

/**
 * Runs the binary and sends it Ctrl-C (SIGINT): after its first line on stdout (`afterFirstLine`), or
 * after it has had time to start and wait (here: for a lock the test holds). Resolves with its output.
 */
function runUntilInterrupted(args: string[], env: Record<string, string>, afterFirstLine = false): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sfoauth.js', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (afterFirstLine && stdout.includes('\n')) child.kill('SIGINT');
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const interrupt = afterFirstLine ? undefined : setTimeout(() => child.kill('SIGINT'), 2_500);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sfoauth ${args.join(' ')} did not stop after Ctrl-C; stdout: ${stdout}`));
    }, 20_000);
    child.once('close', (code) => {
      clearTimeout(interrupt);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut: false });
    });
  });
}
