import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { moveAside } from './quarantine.js';

describe('moveAside', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-quarantine-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const now = Date.UTC(2025, 2, 1, 9, 5, 7, 123);

  it('renames the file next to itself with a UTC timestamp and keeps its bytes and mode', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, '{ not json', { mode: 0o600 });
    const moved = moveAside(file, now);
    expect(moved).toBe(path.join(dir, 'config.json.corrupt-20250301T090507Z'));
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(moved, 'utf8')).toBe('{ not json');
    if (process.platform !== 'win32') expect(fs.statSync(moved).mode & 0o777).toBe(0o600);
  });

  it('never replaces an earlier quarantined copy', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, 'first');
    const first = moveAside(file, new Date(now));
    fs.writeFileSync(file, 'second');
    const second = moveAside(file, new Date(now));
    expect(second).toBe(`${first}-1`);
    expect(fs.readFileSync(first, 'utf8')).toBe('first');
    expect(fs.readFileSync(second, 'utf8')).toBe('second');
  });

  it('throws ConfigError naming the file when there is nothing to move', () => {
    const file = path.join(dir, 'config.json');
    expect(() => moveAside(file, now)).toThrow(ConfigError);
    expect(() => moveAside(file, now)).toThrow(`Could not move ${file} aside: the file does not exist.`);
  });
});
