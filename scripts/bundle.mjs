// Bundles src/bin.ts into dist/bundle (ESM chunks) with esbuild's API, so `npm run build` prints one
// short line instead of the whole command. commander, zod and conf go inside the bundle; the libraries
// kept external are the run-time dependencies in package.json.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  external: ['open', 'undici', '@inquirer/prompts', 'chalk'],
  // Bundled CommonJS code (conf's dependencies) calls require(); ESM has none, so give it one.
  banner: { js: "import { createRequire as __sfoauthRequire } from 'node:module'; const require = __sfoauthRequire(import.meta.url);" },
  logLevel: 'warning',
});
