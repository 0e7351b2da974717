/**
 * Flags -> options, as a table (gh's runF, changesets' parsing tests): each argv goes through the real
 * commander program with a run hook that captures the options a command would run with, so nothing runs.
 */
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';
import type { Deps } from '../deps.js';
import { createTestIO } from '../../test/support/test-io.js';

async function optionsFor(argv: string[]): Promise<{ command: string; options: unknown }> {
  let seen: { command: string; options: unknown } | undefined;
  const t = createTestIO();
  const program = createProgram({ io: t.io, env: {} } as Deps, { runF: (command, options) => (seen = { command, options }) });
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error(`${argv.join(' ')} did not reach the run hook`);
  return seen;
}

const TABLE: [string, string[], { command: string; options: unknown }][] = [
  ['test: defaults', ['test'], { command: 'test', options: { timeoutSeconds: 60, json: false } }],
  [
    'test: global flags before or after the command',
    ['--profile', 'ci', 'test', '--json', '--timeout', '2.5', '--config-dir', '/tmp/x', '--rotated-token-file', 'rt'],
    { command: 'test', options: { timeoutSeconds: 2.5, profile: 'ci', configDir: '/tmp/x', rotatedTokenFile: 'rt', json: true } },
  ],
  ['doctor: defaults', ['doctor'], { command: 'doctor', options: { offline: false, fix: false, json: false } }],
  ['doctor: --offline --fix --profile', ['doctor', '--offline', '--fix', '--profile', 'sb'], { command: 'doctor', options: { offline: true, fix: true, profile: 'sb', json: false } }],
  ['init: defaults', ['init'], { command: 'init', options: { flags: { browser: true, timeout: '300' }, profile: undefined, json: false } }],
  [
    'init: repeatable --extra-callback-url, --no-browser, -y',
    ['init', '--env', 'sandbox', '--extra-callback-url', 'https://a.test/cb', '--extra-callback-url', 'https://b.test/cb', '--no-browser', '-y', '--profile', 'p'],
    {
      command: 'init',
      options: { flags: { env: 'sandbox', extraCallbackUrl: ['https://a.test/cb', 'https://b.test/cb'], browser: false, yes: true, timeout: '300' }, profile: 'p', json: false },
    },
  ],
];

describe('flags -> options', () => {
  for (const [name, argv, expected] of TABLE) {
    it(name, async () => {
      expect(await optionsFor(argv)).toEqual(expected);
    });
  }

  it('a bad number is refused while parsing the flags, before anything runs', async () => {
    await expect(optionsFor(['test', '--timeout', '1e3'])).rejects.toThrow(/--timeout/);
  });
});
