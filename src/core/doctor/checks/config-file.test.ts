import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeDoctorContext } from '../../../../test/doctor/harness.js';
import { openConfStore } from '../../../platform/conf-store.js';
import { configFileCheck } from './config-file.js';
import { configPermissionsCheck } from './config-permissions.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-doctor-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ctxFor(opts: { fix?: boolean; source?: 'profile' | 'env' | 'none' } = {}) {
  const store = await openConfStore({ configDir: dir, env: {} });
  return fakeDoctorContext({ store, configFile: store.path, fix: opts.fix ?? false, source: opts.source ?? 'profile' });
}

describe('config file', () => {
  it('no file is not a problem, and nothing is created', async () => {
    expect(await configFileCheck.run(await ctxFor({ source: 'none' }))).toMatchObject({ status: 'pass' });
    expect((await configFileCheck.run(await ctxFor({ source: 'env' }))).summary).toContain('SFOAUTH_* variables');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a file from a newer sfoauth is not corrupt: --fix leaves it where it is', async () => {
    const file = join(dir, 'config.json');
    const bytes = JSON.stringify({ version: 3, profiles: {} });
    await writeFile(file, bytes, { mode: 0o600 });
    const o = await configFileCheck.run(await ctxFor({ fix: true }));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('newer sfoauth');
    expect(o.fix).toMatch(/[Uu]pgrade/);
    expect(await readFile(file, 'utf8')).toBe(bytes);
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('a corrupt file is named with its problems and left byte for byte', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '[1, 2]', { mode: 0o600 });
    const o = await configFileCheck.run(await ctxFor());
    expect(o).toMatchObject({ status: 'fail', exitCode: 2 });
    expect(o.summary).toBe(`${file} is corrupt or invalid: sfoauth cannot read any profile from it`);
    expect(o.detail).toEqual(['(top level): expected a JSON object, found an array']);
    expect(await readFile(file, 'utf8')).toBe('[1, 2]');
  });
});

describe('config permissions', () => {
  it('warns about a directory others can enter, without changing it even with --fix', async () => {
    const store = await openConfStore({ configDir: dir, env: {} });
    await writeFile(store.path, JSON.stringify({ version: 1, profiles: {} }), { mode: 0o600 });
    await chmod(dir, 0o755);
    const o = await configPermissionsCheck.run(await ctxFor({ fix: true }));
    expect(o.status).toBe('warn');
    expect(o.summary).toContain('mode 0755');
    expect(o.fix).toBe(`chmod 700 ${dir}`);
  });

  it('does not apply on Windows', async () => {
    const ctx = { ...(await ctxFor()), platform: 'win32' as const };
    expect((await configPermissionsCheck.run(ctx)).status).toBe('skip');
  });
});
