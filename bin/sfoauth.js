#!/usr/bin/env node
// Thin entry into the built CLI: dist/bundle is esbuild's bundle of src/ with commander, zod and conf
// inside (fewer files to load at start-up), built by `npm run build` (and by `npm pack`, through prepack).
try {
  await import('../dist/bundle/bin.js');
} catch (err) {
  // An unbuilt clone (or a package packed without a build) has no bundle: say how to get one instead of
  // a module-resolution stack trace. Any other error belongs to the CLI itself and is rethrown.
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/bundle/bin.js')) throw err;
  process.stderr.write('Error: sfoauth is not built (dist/bundle/bin.js is missing).\n→ Run `npm run build` in the sfoauth folder, then run the command again.\n');
  process.exitCode = 2;
}
