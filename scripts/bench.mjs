// Start-up and `sfoauth test` benchmark (SPEC.md "Quality bars"). A script, not a timed test:
//   npm run bench            (builds first)
// Prints the median of N runs for each command and the ratio to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/sfoauth.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(cmd, args, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const base = median(process.execPath, ['-e', '0']);
const rows = [['node -e 0', base]];
for (const args of [['--version'], ['--help']]) rows.push([`sfoauth ${args.join(' ')}`, median(process.execPath, [bin, ...args])]);

const extra = globalThis.benchExtra;
if (typeof extra === 'function') rows.push(...(await extra({ median, bin, base })));

for (const [name, ms] of rows) console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2)}x`);
