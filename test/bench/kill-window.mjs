// The SIGKILL window (docs/credentials.md "Journal"): how often does `kill -9` of a running
// `sfoauth token` leave its profile without a working refresh token? A script, not a test:
//   npm run build && node test/bench/kill-window.mjs   (KILL_TRIALS=N per latency, default 30; KILL_LATENCIES=0,500)
// Against the in-process emulator with refresh token rotation on (reusing a rotated-out token revokes
// the grant, as Salesforce does), at 0 ms and 500 ms of emulator latency (`slowMs`: added after the
// emulator has rotated the token, before it answers, so it models a slow network).
// Each trial: a fresh login in a fresh config directory, `sfoauth token` spawned, SIGKILL after a random
// delay within the command's usual run time, then a second `sfoauth token` in the same directory. It
// failing means the token was lost. Bounded: every child is killed after 20 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/sfoauth.js');
const trials = Number(process.env.KILL_TRIALS ?? 30);
const latencies = (process.env.KILL_LATENCIES ?? '0,500').split(',').map(Number);

const { startEmulator } = await import(join(root, 'dist/emulator/index.js'));
const { loginToEmulator } = await import(join(root, 'test/bench/emulator-login.mjs'));

const callbackUrl = 'http://127.0.0.1:17932/OauthRedirect';
const emulator = await startEmulator({ autoApprove: true, apps: [{ callbackUrls: [callbackUrl], rotateRefreshTokens: true }] });
const app = emulator.apps[0];
const dirs = [];

async function freshProfile() {
  const configDir = mkdtempSync(join(tmpdir(), 'sfoauth-kill-'));
  dirs.push(configDir);
  await loginToEmulator({ emulator, app, configDir, profile: 'default', callbackUrl });
  return configDir;
}

/** Runs `sfoauth token`; with killAfterMs, SIGKILLs it then. Resolves with its exit code (null: killed) and duration. */
function token(configDir, killAfterMs) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'token'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SFOAUTH_CONFIG_DIR: configDir, NO_PROXY: '127.0.0.1' },
      stdio: 'ignore',
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, ms: performance.now() - t0 });
    });
  });
}

const results = [];
for (const latency of latencies) {
  emulator.setFault('slowMs', latency);
  // The usual run time of `token` at this latency: kills land uniformly within it.
  const warm = [];
  for (let i = 0; i < 5; i++) warm.push((await token(await freshProfile())).ms);
  warm.sort((a, b) => a - b);
  const span = warm[2];
  let completed = 0;
  let lost = 0;
  for (let i = 0; i < trials; i++) {
    const dir = await freshProfile();
    const killed = await token(dir, Math.random() * span);
    if (killed.code !== null) completed++; // it finished before the kill landed
    emulator.setFault('slowMs', 0); // the check itself needs no latency
    const after = await token(dir);
    emulator.setFault('slowMs', latency);
    if (after.code !== 0) lost++;
  }
  results.push({ latency, trials, span: Math.round(span), completed, lost });
}
await emulator.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });

console.log(`kill -9 of \`sfoauth token\` (rotation on), ${trials} trials per latency, node ${process.version}`);
for (const r of results) {
  console.log(
    `latency ${String(r.latency).padStart(3)} ms: kills within ${r.span} ms; ${r.completed} finished before the kill; ${r.lost} of ${r.trials} lost the refresh token`,
  );
}
