/**
 * A network step a person waits on, shown while it runs (deps.showWaiting: a spinner in a terminal,
 * after a quarter second; nothing elsewhere). docs/architecture.md "Progress and output streams".
 */
import type { Deps } from '../deps.js';

export async function whileWaiting<T>(deps: Pick<Deps, 'showWaiting'>, text: string, work: () => Promise<T>): Promise<T> {
  const stop = deps.showWaiting?.(text);
  try {
    return await work();
  } finally {
    stop?.();
  }
}
