// Adversarial-input benchmark for the text parsers (docs/hostile-input.md "Parsing"). A script, not a
// timed test: `npm run bench:parse` (builds first). For each shape it times parseErrorText and
// closestCodes at 64 KB and 256 KB; linear code takes ~4x as long for 4x the input, quadratic ~16x.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { parseErrorText } = await import(join(root, 'dist/core/salesforce/parse-error-text.js'));
const { closestCodes } = await import(join(root, 'dist/core/salesforce/error-catalog.js'));
const { ADVERSARIAL_SHAPES } = await import(join(root, 'test/bench/adversarial-shapes.mjs'));

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

let worst = 0;
console.log('shape'.padEnd(26), '64 KB ms'.padStart(10), '256 KB ms'.padStart(10), 'ratio'.padStart(7));
for (const [name, make] of Object.entries(ADVERSARIAL_SHAPES)) {
  const small = make(64 * 1024);
  const large = make(256 * 1024);
  const run = (text) => () => {
    parseErrorText(text);
    closestCodes(text);
  };
  const a = time(run(small));
  const b = time(run(large));
  worst = Math.max(worst, b);
  console.log(name.padEnd(26), a.toFixed(1).padStart(10), b.toFixed(1).padStart(10), (b / Math.max(a, 0.1)).toFixed(1).padStart(7));
}
console.log(`slowest 256 KB input: ${worst.toFixed(0)} ms`);
