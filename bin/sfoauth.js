#!/usr/bin/env node
// Thin entry into the built CLI: dist/bundle is esbuild's bundle of src/ with commander, zod and conf
// inside (fewer files to load at start-up), built by `npm run build` (and by `npm pack`, through prepack).
// CommonJS (bin/package.json), like dist/bundle/bin.cjs: Node's ESM loader costs start-up time, and
// `--help` never needs it (scripts/bundle.mjs).
'use strict';
try {
  require('../dist/bundle/bin.cjs');
} catch (err) {
  // An unbuilt clone (or a package packed without a build) has no bundle: say how to get one instead of
  // a module-resolution stack trace. Any other error belongs to the CLI itself and is rethrown.
  if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes('dist/bundle/bin.cjs')) throw err;
  process.stderr.write('Error: sfoauth is not built (dist/bundle/bin.cjs is missing).\n→ Run `npm run build` in the sfoauth folder, then run the command again.\n');
  process.exitCode = 2;
}
