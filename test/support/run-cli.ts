/**
 * Runs the built CLI (`node bin/sfoauth.js`) as a user's shell would, and never rejects: a non-zero exit
 * is a result to assert on, like execa's `reject: false`. The child gets a small, fixed environment
 * (no proxies, no SFOAUTH_* or GITHUB_ACTIONS from the machine running the tests) plus what the test adds.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliResult {
  /** null when the process was killed (see timedOut). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunCliOptions {
  /** Passed as SFOAUTH_CONFIG_DIR. */
  configDir?: string;
  /** Added to (or, with undefined, removed from) the child's environment. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  stdin?: string;
  /** Kill the child after this long (default 15 s). */
  timeoutMs?: number;
}

/** Throws a clear error when dist/ is missing: the e2e tests exercise the build, not the sources. */
export function assertBuilt(): void {
  if (!existsSync(BUILT_ENTRY)) {
    throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` before the e2e tests (\`npm test\` builds first).`);
  }
}

/** Only what Node and the OS need to start; everything else comes from the test. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'SystemRoot', 'LANG'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return { ...env, NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost,::1' };
}

export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  assertBuilt();
  const env: Record<string, string> = baseEnv();
  if (opts.configDir !== undefined) env.SFOAUTH_CONFIG_DIR = opts.configDir;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 15_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e); // could not spawn node at all: not a CLI result
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    child.stdin.on('error', () => undefined); // the child may exit before reading stdin
    child.stdin.end(opts.stdin ?? '');
  });
}
