// Inputs that made the pasted-text parser quadratic (issue: "Hostile input"), shared by
// test/bench/bench-parse.mjs and the timed guard in src/core/salesforce/parse-error-text.test.ts.
// Each maker returns a string of about `size` characters.
const repeat = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

export const ADVERSARIAL_SHAPES = {
  'http://a run': (n) => repeat('http://a', n),
  'one long word': (n) => repeat('a', n),
  'word, then !': (n) => `${repeat('a', n - 1)}!`,
  'open tags': (n) => repeat('<a', n),
  'open scripts': (n) => repeat('<script>', n),
  'quotes': (n) => `${repeat("'", n - 1)}x`,
  'error= run': (n) => repeat('error=', n),
  'x= run': (n) => repeat('x=a&', n),
  'open braces': (n) => repeat('[{', n),
  'json-ish': (n) => repeat('{"error":"a",', n),
  'code-like': (n) => `invalid_grant ${repeat('a-', n - 14)}`,
  'spaces': (n) => `a${repeat(' ', n - 2)}b`,
  'colons': (n) => repeat('a:', n),
  'entities': (n) => repeat('&amp', n),
  'newlines': (n) => repeat('a\n', n),
};
