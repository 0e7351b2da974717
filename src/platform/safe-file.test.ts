import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { assertSafeDir, ensureSafeDir, probeWritable, vetConfigFile, writeSecretFileAtomic } from './safe-file.js';

const posix = process.platform !== 'win32';
const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-safe-file-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('writeSecretFileAtomic', () => {
  it.runIf(posix)('leaves 0600 whatever the old mode and the umask, and no temp file', () => {
    const file = path.join(root, 'secret');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    const umask = process.umask(0);
    try {
      writeSecretFileAtomic(file, 'new');
    } finally {
      process.umask(umask);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(root)).toEqual(['secret']);
  });

  it.runIf(posix)('replaces a symlink instead of writing through it (also with renameFirst)', () => {
    const victim = path.join(root, 'victim');
    fs.writeFileSync(victim, 'theirs', { mode: 0o644 });
    for (const renameFirst of [false, true]) {
      const link = path.join(root, `link-${renameFirst}`);
      fs.symlinkSync(victim, link);
      writeSecretFileAtomic(link, 'token', { renameFirst });
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(false);
      expect(fs.readFileSync(link, 'utf8')).toBe('token');
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('theirs');
  });

  it('throws the fs error and leaves nothing behind when the target cannot be replaced', () => {
    const dirInTheWay = path.join(root, 'target');
    fs.mkdirSync(dirInTheWay);
    fs.writeFileSync(path.join(dirInTheWay, 'x'), '');
    expect(() => writeSecretFileAtomic(dirInTheWay, 'token')).toThrow();
    expect(fs.readdirSync(root)).toEqual(['target']);
  });
});

describe('directory and file rules', () => {
  it.runIf(posix)('creates a missing directory 0700 and refuses one others can write unless sticky and ours', () => {
    const dir = path.join(root, 'a', 'cfg');
    expect(ensureSafeDir(dir)).toBe(true);
    expect(modeOf(dir)).toBe(0o700);
    fs.chmodSync(dir, 0o777);
    expect(() => assertSafeDir(dir)).toThrow(ConfigError);
    expect(() => assertSafeDir(dir)).toThrow('can be written by other users (mode 0777)');
    fs.chmodSync(dir, 0o1777);
    expect(() => assertSafeDir(dir)).not.toThrow();
  });

  it.runIf(posix)('vets a symlinked config: refused when others can read the target, followed when it is private', () => {
    const real = path.join(root, 'real.json');
    const link = path.join(root, 'config.json');
    fs.writeFileSync(real, '{}', { mode: 0o644 });
    fs.chmodSync(real, 0o644);
    fs.symlinkSync(real, link);
    expect(() => vetConfigFile(link)).toThrow('which other users can open (mode 0644)');
    fs.chmodSync(real, 0o600);
    expect(vetConfigFile(link)).toEqual({ target: fs.realpathSync(real), mode: 0o600 });
    expect(vetConfigFile(path.join(root, 'missing.json'))).toBeUndefined();
  });

  it('probeWritable leaves nothing behind, and fails where a file cannot be created', () => {
    probeWritable(root, 10_000);
    expect(fs.readdirSync(root)).toEqual([]);
    expect(() => probeWritable(path.join(root, 'missing'), 1)).toThrow();
  });
});
