/**
 * Test helpers for the HTTP edge: nock with no real network, where an unused stub fails the test
 * (gh's reg.Verify, oauth4webapi's assertNoPendingInterceptors), and a way to catch a rejection.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Call at the top level of a test file that stubs HTTP with nock. */
export function useStrictNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.isDone()).toBe(true);
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
