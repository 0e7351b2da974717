import { describe, expect, it } from 'vitest';
import { nodeVersionOutcome } from './node-version.js';

describe('Node.js version', () => {
  it.each([
    ['v20.19.0', 'pass'],
    ['v20.20.2', 'pass'],
    ['v22.1.0', 'pass'],
    ['v20.18.3', 'fail'],
    ['v18.20.0', 'fail'],
    ['not a version', 'fail'],
  ])('%s → %s', (version, status) => {
    const o = nodeVersionOutcome(version);
    expect(o.status).toBe(status);
    if (status === 'fail') expect(o.fix).toMatch(/Node\.js/);
  });
});
