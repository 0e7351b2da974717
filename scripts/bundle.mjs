// Bundles src/bin.ts into dist/bundle (ESM chunks) with esbuild's API, so `npm run build` prints one
// short line instead of the whole command. commander, zod and conf go inside the bundle; the libraries
// kept external are the run-time dependencies in package.json.
//
// Start-up (`sfoauth --help`, docs/architecture.md "Performance budgets") is paid per file: the ESM
// loader resolves, reads and compiles each one. esbuild's code splitting puts every module that a lazily
// loaded command shares with the start-up path into a chunk of its own (errors, io, commander…), so the
// help path was 17 files. A second pass folds main.js and every chunk it loads statically into main.js,
// and points the other chunks at main.js for what they shared: one module instance each, as before.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const outdir = 'dist/bundle';
const EXTERNAL = ['open', 'undici', '@inquirer/prompts', 'chalk'];
// Bundled CommonJS code (conf's dependencies) calls require(); ESM has none, so give it one. Only the
// files that mention `require` get it (esbuild's __require helper lives in one chunk).
const REQUIRE_BANNER = "import { createRequire as __sfoauthRequire } from 'node:module'; const require = __sfoauthRequire(import.meta.url);";

/**
 * commander requires node:child_process at load, only to spawn stand-alone executable subcommands,
 * which sfoauth has none of; loading it (and net, dgram, streams with it) costs start-up time on every
 * run. It is required on first use instead. A commander release that changes the line fails the build.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const line = "const childProcess = require('node:child_process');";
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(line)) throw new Error(`${args.path}: "${line}" not found; update scripts/bundle.mjs`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(line, lazy), loader: 'js' };
    });
  },
};

const split = await build({
  entryPoints: ['src/bin.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  external: EXTERNAL,
  plugins: [lazyChildProcess],
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const files = new Map(split.outputFiles.map((f) => [basename(f.path), f.text]));
const outputs = Object.fromEntries(Object.entries(split.metafile.outputs).map(([path, meta]) => [basename(path), meta]));
const outputOf = (entryPoint) => Object.keys(outputs).find((name) => outputs[name].entryPoint === entryPoint);
/** A chunk and every chunk it imports statically (what loading it loads). */
const closure = (name, seen = new Set()) => {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const i of outputs[name].imports) if (i.kind === 'import-statement' && !i.external) closure(basename(i.path), seen);
  return seen;
};

const bin = outputOf('src/bin.ts');
const main = outputOf('src/main.ts');
if (!bin || !main) throw new Error('scripts/bundle.mjs: bin.ts must import main.ts dynamically, and only it');
// bin.js and what it loads stay small and apart: `--version` answers without loading main.js.
const keep = closure(bin);
const folded = [...closure(main)].filter((name) => !keep.has(name));

/** Resolves the first pass's chunks for which `take` is true from memory; every other import stays an import. */
function inMemoryChunks(take) {
  return {
    name: 'in-memory-chunks',
    setup(b) {
      // Packages and node: builtins stay imports, as in the first pass.
      b.onResolve({ filter: /^[^.]/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\/[^/]+\.js$/ }, (args) => {
        const name = args.path.slice(2);
        return take(name) ? { path: name, namespace: 'chunk' } : { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: 'chunk' }, (args) => ({ contents: files.get(args.path), loader: 'js', resolveDir: resolve(outdir) }));
    },
  };
}

const merged = await build({
  stdin: { contents: folded.map((name) => `export * from './${name}';`).join('\n'), resolveDir: resolve(outdir), sourcefile: main },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  outfile: join(outdir, main),
  metafile: true,
  logLevel: 'warning',
  plugins: [inMemoryChunks((name) => folded.includes(name))],
});

for (const name of folded) files.delete(name);
files.set(main, merged.outputFiles[0].text);

// Third pass: bin.js and main.js as one CommonJS file, dist/bundle/bin.cjs, which bin/sfoauth.js
// require()s. Node starts its ESM loader only when something is import()ed, so `--help` and `--version`
// never pay for it; commands that load their implementation (ESM chunks) start it then. The chunks
// import the shared modules from bin.cjs (through shared.js): the instance require() loaded, so one each.
const entryFiles = new Set([...keep, main]);
const cjs = await build({
  // main.js stays lazy inside bin.cjs (esbuild wraps what is import()ed), so `--version` does not run it.
  stdin: { contents: `import './${bin}';\nexport const sharedModules = () => import('./${main}');`, resolveDir: resolve(outdir), sourcefile: 'bin.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  write: false,
  outfile: join(outdir, 'bin.cjs'),
  // Node compiles the whole file at start; without comments and indentation it has 40% less to scan.
  minifyWhitespace: true,
  logLevel: 'warning',
  plugins: [inMemoryChunks((name) => entryFiles.has(name))],
});
files.delete(main);
files.delete(bin);
files.set('bin.cjs', cjs.outputFiles[0].text);
// The chunks reach bin.cjs through shared.js, an ES module naming every export: importing the CommonJS
// file itself would make Node scan all of it with cjs-module-lexer for its export names (25 ms).
// main.js has run by then (its code loads the chunks), so the values read here are final.
const names = merged.metafile.outputs[Object.keys(merged.metafile.outputs)[0]].exports;
files.set(
  'shared.js',
  `import { createRequire } from 'node:module';\nconst shared = await createRequire(import.meta.url)('./bin.cjs').sharedModules();\nexport const { ${names.join(', ')} } = shared;\n`,
);

// What the other chunks imported from a folded chunk or main.js, they now import from shared.js.
const moved = [...folded, main];
const movedRef = new RegExp(`"\\./(${moved.map((n) => n.replace(/[.]/g, '\\.')).join('|')})"`, 'g');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
for (const [name, text] of files) {
  if (name === 'bin.cjs') {
    writeFileSync(join(outdir, name), text);
    continue;
  }
  const linked = text.replace(movedRef, '"./shared.js"');
  writeFileSync(join(outdir, name), /typeof require\b|\brequire\(/.test(linked) ? `${REQUIRE_BANNER}\n${linked}` : linked);
}
