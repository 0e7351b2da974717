/**
 * Fuzzes every command's flags through main() (docs/hostile-input.md "Fuzzing"): a bounded number of
 * runs from a fixed seed, hostile values from a pool, every network request refused on the spot and
 * every wait cut short. Whatever the flags, the result is an exit code from src/exit-codes.ts, with
 * no stack trace, no "This is a bug" and no control character in the output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Command } from 'commander';
import { main } from '../../src/main.js';
import { createProgram } from '../../src/cli/program.js';
import { EXIT } from '../../src/exit-codes.js';
import { CancelledError } from '../../src/errors.js';
import type { Deps, Env } from '../../src/deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { createTestIO } from '../support/test-io.js';
import { CONTROL_CHAR, ESCAPES } from '../support/hostile-server.js';

/** Fixed, so a failure replays; SFOAUTH_FUZZ_SEED / SFOAUTH_FUZZ_RUNS explore further by hand. */
const SEED = Number(process.env.SFOAUTH_FUZZ_SEED ?? 0x5f0a_0009);
const RUNS = Number(process.env.SFOAUTH_FUZZ_RUNS ?? 120);
/** Long enough for any parsing and refusal; a command that would wait (a callback, the emulator) is cut here. */
const RUN_BUDGET_MS = 800;

/** Values people and attackers type. */
const VALUES = [
  '', ' ', '-', '--', '0', '-1', '1', '1.5', '0x10', '1e3', '5e-324', '2147484', '99999999999999999999', 'NaN', 'Infinity',
  'a'.repeat(5000), ESCAPES, '../../etc', 'http:\\\\127.0.0.1:1717', 'file:///etc/passwd', 'ftp://127.0.0.1/x', 'a\nb', '%E0%A4%A',
  '{"error":"x"}', '127.0.0.1:1', 'http://127.0.0.1:1', 'http://127.0.0.1:1/OauthRedirect', 'https://[::1]:1', 'localhost', '0.0.0.0',
  'sandbox', 'production', 'connected-app', 'external-client-app', 'json', 'env', 'sfdx-url', 'api refresh_token', 'api,,',
  'userDenies', 'slowMs=3000000000', 'serverError=1e9', '__proto__', 'constructor', 'default',
];

/** mulberry32: a tiny deterministic PRNG, so a failure replays with the same seed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir: string;
let pathValues: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-fuzz-'));
  await writeFile(join(dir, 'a-file'), 'not a directory');
  await writeFile(join(dir, 'apps.json'), '[{"clientId":"x","slowMs":1e99}]');
  pathValues = [join(dir, 'cfg'), join(dir, 'a-file'), join(dir, 'apps.json'), join(dir, 'missing', 'deeper'), ''];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a refused connection looks like coming out of fetch. */
const refusedFetch: Deps['fetch'] = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));

function depsFor(env: Env, signal: AbortSignal) {
  const t = createTestIO({ env: { NO_COLOR: '1', CI: 'true' } });
  const cancelled = () => Promise.reject(new CancelledError());
  const deps: Deps = {
    io: t.io,
    env,
    fetch: refusedFetch,
    clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    openBrowser: () => Promise.resolve(),
    prompter: { input: cancelled, password: cancelled, select: cancelled, confirm: cancelled },
    openStore: (configDir) => openConfStore({ configDir: configDir ?? join(dir, 'cfg'), env }),
    signal,
  };
  return { deps, t };
}

interface FlagSpec {
  long: string;
  takesValue: boolean;
}

/** Every command and its flags, read from the program itself, so a new flag is fuzzed without editing this file. */
function commandSpecs(): { name: string; flags: FlagSpec[]; args: number }[] {
  const t = createTestIO();
  const program = createProgram({ io: t.io } as Deps);
  const globals: FlagSpec[] = program.options.filter((o) => o.long && o.long !== '--version' && o.long !== '--help').map((o) => ({ long: o.long!, takesValue: o.required || o.optional }));
  return program.commands.map((cmd: Command) => ({
    name: cmd.name(),
    flags: [...globals, ...cmd.options.filter((o) => o.long && o.long !== '--help').map((o) => ({ long: o.long!, takesValue: o.required || o.optional }))],
    args: cmd.registeredArguments.length,
  }));
}

const PATH_FLAGS = new Set(['--config-dir', '--apps', '--rotated-token-file']);

describe('flag fuzzing through main()', () => {
  test(`${RUNS} runs from seed ${SEED.toString(16)}: exit codes from the table, no stack trace, no "This is a bug", no control characters`, { timeout: 240_000 }, async () => {
    const random = prng(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const specs = commandSpecs();
    const allowed = new Set<number>(Object.values(EXIT));
    const failures: string[] = [];
    const closed = 'http://127.0.0.1:1';
    for (let run = 0; run < RUNS; run++) {
      const spec = pick(specs);
      const argv = [spec.name];
      const count = Math.floor(random() * 4);
      for (let i = 0; i < count; i++) {
        const flag = pick(spec.flags);
        argv.push(flag.long);
        if (flag.takesValue) argv.push(PATH_FLAGS.has(flag.long) ? pick(pathValues) : pick(VALUES));
      }
      for (let i = 0; i < spec.args; i++) argv.push(pick(VALUES));
      if (spec.name === 'init' && random() < 0.5) argv.push('--yes');
      // Half the runs in env-var mode (loopback hosts only), with hostile values in the variables too.
      const env: Env =
        random() < 0.5
          ? { CI: 'true', NO_COLOR: '1', SFOAUTH_REFRESH_TOKEN: 'r', SFOAUTH_CLIENT_ID: 'c', SFOAUTH_LOGIN_URL: random() < 0.5 ? closed : pick(VALUES), SFOAUTH_INSTANCE_URL: closed, SFOAUTH_ENV: pick(VALUES) }
          : { CI: 'true', NO_COLOR: '1' };
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new CancelledError()), RUN_BUDGET_MS);
      const { deps, t } = depsFor(env, controller.signal);
      let code: number;
      try {
        // A run that ignores the abort is a hang: recorded as a failure instead of stalling the suite.
        const hang = new Promise<number>((resolve) => setTimeout(() => resolve(-1), RUN_BUDGET_MS + 3000).unref());
        code = await Promise.race([main(argv, deps), hang]);
        if (code === -1) {
          failures.push(`${JSON.stringify(argv)}: still running ${RUN_BUDGET_MS + 3000} ms after start (did not honour Ctrl-C)`);
          continue;
        }
      } catch (err) {
        failures.push(`${JSON.stringify(argv)} threw out of main(): ${String(err)}`);
        continue;
      } finally {
        clearTimeout(timer);
      }
      const output = t.stdout() + t.stderr();
      const problems = [
        !allowed.has(code) && `exit ${code}`,
        /This is a bug/.test(output) && '"This is a bug"',
        /^\s+at .+:\d+:\d+\)?$/m.test(output) && 'a stack trace',
        CONTROL_CHAR.test(output) && 'a control character',
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${JSON.stringify(argv)} env=${JSON.stringify(env.SFOAUTH_LOGIN_URL ?? null)}: ${problems.join(', ')}\n${output.slice(0, 600)}`);
    }
    expect(failures).toEqual([]);
  });
});
