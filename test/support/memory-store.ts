/**
 * An in-memory ProfileStore for tests. It applies the very rules of the conf store (profileStoreOver:
 * profile names, zod validation before a write, the default-profile rules) so a command tested against
 * it behaves the same against the real file. `failWrites` simulates a disk that refuses writes.
 */
import { ConfigError } from '../../src/errors.js';
import type { ConfigFile } from '../../src/core/config/profile.js';
import type { ProfileStore, SidecarKind } from '../../src/core/config/store.js';
import { emptyConfig, parseConfigFile } from '../../src/core/config/schema.js';
import { profileStoreOver, type StoreFiles } from '../../src/core/config/profile-store.js';

export interface MemoryStore extends ProfileStore {
  /** A deep copy of what is "on disk" now. */
  snapshot(): ConfigFile;
  /** How many writes succeeded. */
  readonly writes: number;
  /** When set, every write throws this ConfigError and nothing changes. */
  failWrites: boolean;
  /** When set, writing a sidecar (journal, access-token cache) throws. */
  failSidecars: boolean;
  /** When set, every operation throws this error (a corrupt file, say). */
  failReads: ConfigError | undefined;
}

export interface MemoryStoreOptions {
  /** Starting content; validated like a file would be. */
  config?: ConfigFile;
  /** Defaults to /memory/sfoauth/config.json. */
  path?: string;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const file = options.path ?? '/memory/sfoauth/config.json';
  let data: ConfigFile = emptyConfig();
  if (options.config) {
    const parsed = parseConfigFile(structuredClone(options.config));
    if (!parsed.ok) throw new Error(`createMemoryStore: invalid starting config:\n${parsed.issues.join('\n')}`);
    data = parsed.config;
  }
  let writes = 0;

  const load = (): ConfigFile => {
    if (store.failReads) throw store.failReads;
    return structuredClone(data);
  };
  const write = (next: ConfigFile): void => {
    if (store.failWrites) throw new ConfigError(`Could not write ${file}: simulated failure. The previous file is unchanged.`, { file });
    data = structuredClone(next);
    writes++;
  };
  const sidecars = new Map<string, unknown>();
  const key = (kind: SidecarKind, name: string) => `${kind}.${name}`;
  const files: StoreFiles = {
    sidecarPath: (kind, name) => file.replace(/config\.json$/, `${key(kind, name)}.json`),
    assertWritable: async () => {
      if (store.failWrites) throw new ConfigError(`sfoauth cannot write to ${file} (simulated failure); nothing was sent to Salesforce.`, { file });
    },
    readSidecar: async (kind, name) => structuredClone(sidecars.get(key(kind, name))),
    writeSidecar: async (kind, name, value) => {
      if (store.failSidecars) throw new Error('simulated sidecar failure');
      sidecars.set(key(kind, name), structuredClone(value));
      return files.sidecarPath(kind, name);
    },
    removeSidecar: async (kind, name) => {
      sidecars.delete(key(kind, name));
    },
    listSidecars: async (kind) => [...sidecars.keys()].filter((k) => k.startsWith(`${kind}.`)).map((k) => k.slice(kind.length + 1)).sort(),
  };
  // One process: the in-process queue in profileStoreOver is the whole lock.
  const acquireLock = async () => async () => undefined;
  const store: MemoryStore = {
    ...profileStoreOver({ file, load, write, acquireLock, files }),
    failSidecars: false,
    failWrites: false,
    failReads: undefined,
    get writes() {
      return writes;
    },
    snapshot: () => structuredClone(data),
  };
  return store;
}
