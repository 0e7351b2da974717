/**
 * What `sfoauth --help` loads, checked rather than timed (the timing is `npm run bench`,
 * docs/architecture.md "Performance budgets"): the bundle's files on the help path, and the Node
 * built-ins that cost start-up time without being needed for help (scripts/bundle.mjs).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/run-cli.js';

const execFileP = promisify(execFile);
const BUNDLE = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
let dir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sfoauth-startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The relative imports of one bundle file: static (`from "./x.js"`, `import "./x.js"`) and dynamic (`import("./x.js")`). */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(join(BUNDLE, file), 'utf8');
  return {
    static: [...text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1]!),
    dynamic: [...text.matchAll(/import\("\.\/([^"]+\.js)"\)/g)].map((m) => m[1]!),
  };
}

describe('sfoauth --help start-up path', () => {
  it('is one CommonJS file: bin.cjs requires no other bundle file (only import()s the commands\' chunks)', () => {
    const text = readFileSync(join(BUNDLE, 'bin.cjs'), 'utf8');
    expect([...text.matchAll(/require\("\.\/[^"]*"\)/g)].map((m) => m[0])).toEqual([]);
    expect(readdirSync(BUNDLE).filter((f) => /^(bin|main-\w+)\.js$/.test(f))).toEqual([]);
    // Compiled whole at every start: no comments or indentation to scan.
    expect(text).not.toMatch(/^\s*\/\/ /m);
  });

  it('every chunk imports only files that exist; what was folded into bin.cjs comes through shared.js', () => {
    const present = new Set(readdirSync(BUNDLE));
    for (const file of [...present].filter((f) => f.endsWith('.js'))) {
      const { static: s, dynamic: d } = importsOf(file);
      for (const target of [...s, ...d]) expect(present.has(target), `${file} imports ${target}`).toBe(true);
      // Importing the CommonJS file from ESM would make Node scan all of it for export names (cjs-module-lexer).
      expect(s, file).not.toContain('bin.cjs');
    }
    expect(readFileSync(join(BUNDLE, 'shared.js'), 'utf8')).toContain("('./bin.cjs')");
    expect(importsOf('bin.cjs').dynamic.length).toBeGreaterThan(0);
  });

  it('shared.js copies the values bin.cjs exports, so no source module exports a binding it reassigns (`export let`)', () => {
    const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const offenders = sources.filter((f) => /^export (let|var) /m.test(readFileSync(join(SRC, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('--help and --version start no ESM loader (no module job, so no ES module was loaded)', async () => {
    for (const args of [['--help'], ['--version']]) {
      const loaded = await modulesLoaded(args);
      expect(loaded, args.join(' ')).not.toContain('NativeModule internal/modules/esm/module_job');
    }
  });

  it('the config schema brings the parts of zod it uses and the English messages, not all of zod with 60 locales', () => {
    const bundled = readdirSync(BUNDLE).flatMap((f) => [...readFileSync(join(BUNDLE, f), 'utf8').matchAll(/^\/\/ node_modules\/zod\/(\S+)$/gm)].map((m) => m[1]!));
    expect(bundled.filter((f) => f.includes('/locales/'))).toEqual(['v4/locales/en.js']);
    expect(bundled.filter((f) => f.startsWith('v4/classic/'))).toEqual([]);
  });

  it('--version does not run main.js (it stays lazy inside bin.cjs): node:fs/promises, which main.js imports, is not loaded', async () => {
    expect(await modulesLoaded(['--help'])).toContain('NativeModule fs/promises');
    expect(await modulesLoaded(['--version'])).not.toContain('NativeModule fs/promises');
  });

  it('loads neither child_process nor Web Crypto (commander and the colour marker take them on first use)', async () => {
    const loaded = await modulesLoaded(['--help']);
    expect(loaded).not.toContain('NativeModule child_process');
    expect(loaded.filter((m) => m.includes('crypto'))).toEqual([]);
  });
});

/** The Node built-ins a run of the binary loaded (process.moduleLoadList, written at exit by a preload). */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const preload = join(dir, 'modules.cjs');
  const out = join(dir, `modules-${args.join('')}.txt`);
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));`);
  await execFileP(process.execPath, ['-r', preload, BIN, ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', MODULES_OUT: out } });
  return readFileSync(out, 'utf8').split('\n');
}
