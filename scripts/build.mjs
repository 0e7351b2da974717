// `npm run build`: a clean dist/, tsc's type-checked per-file output (tests and the benchmark import it),
// then the esbuild bundle that bin/sfoauth.js runs. One script, so npm echoes one short line.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
await import('./bundle.mjs');
