// Start-up and `sfoauth test` benchmark (docs/architecture.md "Performance budgets"). A script, not a timed test:
//   npm run bench            (builds first; BENCH_RUNS=N to change the number of runs)
// Prints the median of N runs of each command, and checks the two budgets:
//   --version / --help  within 1.3x of `node -e 0`
//   test (emulator)     within 2x of `node -e 0` plus the HTTP round trips it needs (measured in-process)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/sfoauth.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

/**
 * Median wall time of each command, the commands taking turns run by run: on a machine whose load
 * changes while the benchmark runs, every command sees the same load, so the ratios stay fair.
 */
function timeInTurns(commands) {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { env: process.env, stdio: 'ignore' });
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}

const { startEmulator } = await import(join(root, 'dist/emulator/index.js'));
const { loginToEmulator } = await import(join(root, 'test/bench/emulator-login.mjs'));
const { runTest } = await import(join(root, 'dist/app/test.js'));

const configDir = mkdtempSync(join(tmpdir(), 'sfoauth-bench-'));
const callbackUrl = 'http://127.0.0.1:17931/OauthRedirect';
const emulator = await startEmulator({ autoApprove: true, apps: [{ callbackUrls: [callbackUrl] }] });
const app = emulator.apps[0];
const deps = await loginToEmulator({ emulator, app, configDir, profile: 'bench', callbackUrl });

// The HTTP round trips `test` needs, measured in-process (warm): the floor no CLI can go under.
const inProcess = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const report = await runTest({ profile: 'bench', configDir, timeoutSeconds: 30 }, deps);
  inProcess.push(performance.now() - t0);
  if (!report.ok) throw new Error('in-process sfoauth test failed');
}

const { base, version, help } = timeInTurns({ base: ['-e', '0'], version: [bin, '--version'], help: [bin, '--help'] });
// The emulator lives in this process, so spawnSync would block it: time the CLI with an async spawn.
const { spawn } = await import('node:child_process');
const testTimes = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'test', '--profile', 'bench'], { env: { ...process.env, SFOAUTH_CONFIG_DIR: configDir }, stdio: 'ignore' });
    child.on('exit', resolve);
  });
  testTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (code !== 0) throw new Error(`sfoauth test exited ${code}`);
}
// CI usually passes credentials as SFOAUTH_* variables: no config file to read or write.
const profile = await (await deps.openStore(configDir)).get('bench');
const envMode = {
  SFOAUTH_CONFIG_DIR: join(configDir, 'none'),
  SFOAUTH_CLIENT_ID: profile.clientId,
  SFOAUTH_CLIENT_SECRET: profile.clientSecret,
  SFOAUTH_REFRESH_TOKEN: profile.refreshToken,
  SFOAUTH_LOGIN_URL: profile.loginUrl,
};
const envTimes = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'test'], { env: { ...process.env, ...envMode }, stdio: 'ignore' });
    child.on('exit', resolve);
  });
  envTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (code !== 0) throw new Error(`sfoauth test (env) exited ${code}`);
}
const rtt = median(inProcess);
const test = median(testTimes);
const testEnv = median(envTimes);
await emulator.close();
rmSync(configDir, { recursive: true, force: true });

const row = (name, ms, budget) =>
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms` + (budget ? `   budget ${budget.toFixed(1)} ms  ${ms <= budget ? 'ok' : 'OVER'}` : ''));
console.log(`median of ${runs} runs on node ${process.version}`);
row('node -e 0', base);
row('sfoauth --version', version, base * 1.3);
row('sfoauth --help', help, base * 1.3);
row('HTTP round trips of test (in-process)', rtt);
row('sfoauth test, profile (emulator)', test, base * 2 + rtt);
row('sfoauth test, SFOAUTH_* vars (emulator)', testEnv, base * 2 + rtt);
