import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote.js';

describe('shellQuote', () => {
  it('leaves plain values alone and single-quotes the rest', () => {
    expect(shellQuote('https://login.salesforce.com/x?y=1')).toBe("'https://login.salesforce.com/x?y=1'");
    expect(shellQuote('/home/me/.config/sfoauth')).toBe('/home/me/.config/sfoauth');
    expect(shellQuote('api refresh_token')).toBe("'api refresh_token'");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote('~/x')).toBe("'~/x'");
    expect(shellQuote('')).toBe("''");
  });
});
