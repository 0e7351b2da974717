/**
 * What `sfoauth --help` loads, counted rather than timed (the timing is `npm run bench`,
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

function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const f of importsOf(file).static) staticClosure(f, seen);
  return seen;
}

describe('sfoauth --help start-up path', () => {
  it('loads at most four bundle files: bin.js, its two small chunks, and main.js holding everything help needs', () => {
    const main = readdirSync(BUNDLE).find((f) => /^main-[\w]+\.js$/.test(f));
    expect(main).toBeDefined();
    expect(importsOf('bin.js').dynamic).toEqual([main]);
    const helpPath = new Set([...staticClosure('bin.js'), ...staticClosure(main!)]);
    expect([...helpPath].length, [...helpPath].join(', ')).toBeLessThanOrEqual(4);
  });

  it('no other chunk imports a module that was folded into main.js from a file of its own', () => {
    const present = new Set(readdirSync(BUNDLE));
    for (const file of present) {
      const { static: s, dynamic: d } = importsOf(file);
      for (const target of [...s, ...d]) expect(present.has(target), `${file} imports ${target}`).toBe(true);
    }
  });

  it('loads neither child_process nor Web Crypto (commander and the colour marker take them on first use)', async () => {
    const preload = join(dir, 'modules.cjs');
    const out = join(dir, 'modules.txt');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));`);
    await execFileP(process.execPath, ['-r', preload, BIN, '--help'], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    const loaded = readFileSync(out, 'utf8').split('\n');
    expect(loaded).not.toContain('NativeModule child_process');
    expect(loaded.filter((m) => m.includes('crypto'))).toEqual([]);
  });
});
