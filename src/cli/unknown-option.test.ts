import { describe, expect, it } from 'vitest';
import { suggestFlags } from './unknown-option.js';

const INIT = ['--env', '--app-type', '--login-url', '--client-id', '--client-secret-stdin', '--callback-url', '--extra-callback-url', '--scopes', '--no-browser', '--timeout', '--wait', '--flow', '--private-key', '--username', '--yes', '--profile', '--config-dir', '--json', '--verbose', '--no-color', '--help'];

describe('suggestFlags', () => {
  it.each([
    ['--nope', []], // commander's own guess was --scopes
    ['--foo', []],
    ['--secret', []],
    ['--scope', ['--scopes']],
    ['--scopse', ['--scopes']],
    ['--cliend-id', ['--client-id']],
    ['--callback', ['--callback-url']],
    ['--client', ['--client-id', '--client-secret-stdin']],
    ['--timout=5', ['--timeout']],
    ['--sandbox', ['--env sandbox']],
    ['--prod', ['--env production']],
    ['--PRODUCTION', ['--env production']],
    ['-x', []],
  ])('%s → %j', (flag, expected) => {
    expect(suggestFlags(flag, INIT)).toEqual(expected);
  });

  it('a name Object.prototype has is no environment word', () => {
    expect(suggestFlags('--constructor', INIT)).toEqual([]);
    expect(suggestFlags('--toString', INIT)).toEqual([]);
  });

  it('an environment word is suggested as --env only where --env exists', () => {
    expect(suggestFlags('--sandbox', ['--profile', '--json'])).toEqual([]);
  });
});
