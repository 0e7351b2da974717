/**
 * A hostile or misconfigured host, through the built CLI: what it answers never takes over the
 * terminal, and an endless body ends fast with bounded memory (docs/hostile-input.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, runCli } from '../support/run-cli.js';
import { CONTROL_CHAR, ESCAPES, endlessBody, oauthError, startHostileServer, type HostileServer } from '../support/hostile-server.js';

const REPORT_RSS = fileURLToPath(new URL('../support/report-rss.cjs', import.meta.url));

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeAll(() => assertBuilt());

function envFor(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SFOAUTH_REFRESH_TOKEN: 'refresh-token-value', SFOAUTH_CLIENT_ID: 'client-id', SFOAUTH_LOGIN_URL: url, ...extra };
}

describe('a host that answers terminal escapes', () => {
  for (const args of [['test'], ['test', '--verbose'], ['test', '--json']]) {
    test(`sfoauth ${args.join(' ')}: no control character reaches stdout or stderr`, async () => {
      server = await startHostileServer((_req, res) => oauthError(res, `${ESCAPES} for \x1b]52;c;Y2xpcA==\x07`));
      const r = await runCli(args, { env: envFor(server.url, { FORCE_COLOR: '1' }) });
      expect(r.code).toBe(1);
      // FORCE_COLOR: our own colours (SGR sequences) are expected; every other control character is escaped.
      const ours = (text: string) => text.replace(/\x1b\[\d+(?:;\d+)*m/g, '');
      expect(ours(r.stdout)).not.toMatch(CONTROL_CHAR);
      expect(ours(r.stderr)).not.toMatch(CONTROL_CHAR);
      if (args.includes('--json')) expect(JSON.stringify(JSON.parse(r.stdout))).toContain('\\u001b]0;owned');
      else expect(ours(r.stdout)).toContain('\\u001B]0;owned');
    });
  }

  test('error_description in a failed --login-url flag run and pasted explain text are escaped too', async () => {
    const r = await runCli(['explain', `invalid_grant ${ESCAPES}`]);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL_CHAR);
    const p = await runCli(['status', '--profile', `x${ESCAPES}`]);
    expect(p.code).toBe(2);
    expect(p.stdout + p.stderr).not.toMatch(CONTROL_CHAR);
  });
});

describe('a host that answers JSON nested a million levels deep', () => {
  test('--verbose traces it without overflowing the stack', async () => {
    const depth = 1_000_000;
    server = await startHostileServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    });
    const r = await runCli(['test', '--verbose'], { env: envFor(server.url) });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/Maximum call stack|unexpected error|This is a bug/);
  });
});

describe('a host that answers an endless body', () => {
  test('the read stops at the cap: fast, bounded memory, a coded error naming the host', async () => {
    server = await startHostileServer((_req, res) => endlessBody(res, 300 * 1024 * 1024));
    const dir = mkdtempSync(join(tmpdir(), 'sfoauth-rss-'));
    try {
      const rssFile = join(dir, 'rss');
      const started = Date.now();
      const r = await runCli(['test'], {
        env: envFor(server.url, { NODE_OPTIONS: `--require ${REPORT_RSS}`, SFOAUTH_TEST_RSS_FILE: rssFile }),
      });
      const elapsed = Date.now() - started;
      const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/answered with more than 4 MB.*probably not Salesforce/);
      expect(r.stdout + r.stderr).not.toMatch(/This is a bug|\n\s+at /);
      // Reading 300 MB whole took ~1 GB before the cap; measured with it: ~80 MB peak (60 MB idle), 0.2 s.
      expect(peakMb).toBeLessThan(150);
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
