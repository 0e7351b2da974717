/**
 * What a user who installs the package gets: `npm pack` ships the bundle (prepack builds it), the
 * tarball installs into an empty prefix, and the installed `sfoauth` runs `--help` and `demo`. Also the
 * unbuilt checkout: `bin/sfoauth.js` says to build instead of printing a module-resolution stack trace.
 *
 * The pack uses --ignore-scripts because `npm test` has just built dist/; the prepack hook itself is
 * asserted on package.json. The install resolves the run-time dependencies from npm's cache first.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../support/run-cli.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Packed {
  filename: string;
  files: { path: string }[];
}

describe('npm pack → install → run', () => {
  const work = mkdtempSync(join(tmpdir(), 'sfoauth-pack-'));
  const prefix = join(work, 'prefix');
  let packed: Packed;

  beforeAll(async () => {
    assertBuilt();
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT, timeout: 60_000 });
    packed = (JSON.parse(stdout) as Packed[])[0] as Packed;
    mkdirSync(prefix);
    await run(npm, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
      timeout: 120_000,
    });
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const installedBin = () => join(prefix, process.platform === 'win32' ? 'sfoauth.cmd' : 'bin/sfoauth');
  const cleanEnv = () => ({ PATH: process.env.PATH ?? '', HOME: work, NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost,::1' });

  it('builds on prepack, so a clean clone packs the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepack).toBe('npm run build');
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['bin/sfoauth.js', 'bin/package.json', 'dist/bundle/bin.cjs', 'package.json', 'LICENSE', 'README.md']));
    expect(paths.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
  });

  it('the installed sfoauth answers --help', async () => {
    const { stdout } = await run(installedBin(), ['--help'], { env: cleanEnv(), timeout: 20_000 });
    expect(stdout).toContain('Usage: sfoauth');
    expect(stdout).toContain('demo');
  });

  it('the installed sfoauth runs the demo end to end', async () => {
    const { stdout, stderr } = await run(installedBin(), ['demo'], { env: cleanEnv(), timeout: 60_000 });
    const all = stdout + stderr;
    expect(all).toContain('Demo complete');
    expect(all).not.toMatch(/This is a bug|at .*\.js:\d+/);
  }, 70_000);

  it('an unbuilt checkout says to build, with exit 2 and no stack trace', async () => {
    const clone = join(work, 'unbuilt');
    mkdirSync(clone);
    cpSync(join(REPO_ROOT, 'bin'), join(clone, 'bin'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(clone, 'package.json'));
    const result = await run(process.execPath, [join(clone, 'bin/sfoauth.js'), '--help'], { env: cleanEnv() }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm run build');
    expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
  });
});
