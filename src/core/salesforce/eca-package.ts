/**
 * The deploy zip, built in memory: package.xml at the root and each component in its type's folder
 * (docs/salesforce.md §14.1, docs/create.md). fflate (pure JS, no dependencies) loads on first use, so
 * only the command that deploys pays for it.
 */
import type { MetadataFile } from './eca-metadata.js';

/** Salesforce's REST deploy limits (docs/salesforce.md §14.6); an ECA package is a few KB. */
export const MAX_DEPLOY_FILES = 10_000;
export const MAX_DEPLOY_ZIP_BYTES = 39 * 1024 * 1024;

/** A fixed date, so the same files always give the same bytes (reproducible packages, stable tests). */
const FIXED_MTIME = new Date(Date.UTC(2026, 0, 1));

export async function buildDeployZip(files: readonly MetadataFile[]): Promise<Uint8Array> {
  if (files.length === 0 || files.length > MAX_DEPLOY_FILES) throw new RangeError(`A deploy holds 1 to ${MAX_DEPLOY_FILES} files, not ${files.length}.`);
  const seen = new Set<string>();
  const tree: Record<string, Uint8Array> = {};
  const encoder = new TextEncoder();
  for (const f of files) {
    // Paths are built by ecaMetadataFiles from validated names; refuse anything that could escape the zip root.
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/.test(f.path) || f.path.split('/').some((p) => p === '..' || p === '.')) {
      throw new RangeError(`Not a metadata path: ${JSON.stringify(f.path)}`);
    }
    if (seen.has(f.path)) throw new RangeError(`Two files share the path ${f.path}`);
    seen.add(f.path);
    tree[f.path] = encoder.encode(f.content);
  }
  const { zipSync } = await import('fflate');
  const zip = zipSync(tree, { level: 6, mtime: FIXED_MTIME });
  if (zip.byteLength > MAX_DEPLOY_ZIP_BYTES) throw new RangeError(`The package is ${zip.byteLength} bytes; Salesforce accepts at most ${MAX_DEPLOY_ZIP_BYTES}.`);
  return zip;
}
