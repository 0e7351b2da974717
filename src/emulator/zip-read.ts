/**
 * A bounded zip reader for deploy packages. node:zlib only: inflateRawSync's maxOutputLength stops a
 * zip bomb at the limit whatever sizes the headers claim, which a library that trusts the declared sizes
 * cannot promise. Reads stored and deflated entries from the central directory; refuses zip64,
 * encryption, and names that leave the root.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Per entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
}

/** An ECA package is a handful of files of a few KB. */
export const DEPLOY_ZIP_LIMITS: ZipLimits = { maxEntries: 100, maxEntryBytes: 256 * 1024, maxTotalBytes: 2 * 1024 * 1024 };

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Entry name → contents. Directory entries are skipped. Throws ZipError for anything else. */
export function readZip(buf: Buffer, limits: ZipLimits = DEPLOY_ZIP_LIMITS): Map<string, Buffer> {
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (count > limits.maxEntries) throw new ZipError(`the archive has ${count} entries; the limit is ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocd) throw new ZipError('the central directory is out of bounds');
  const files = new Map<string, Buffer>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipError('bad central directory entry');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw new ZipError(`${name}: encrypted entries are not supported`);
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) throw new ZipError(`${name}: the name leaves the archive root`);
    if (name.endsWith('/')) continue;
    if (files.has(name)) throw new ZipError(`${name}: appears twice`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) throw new ZipError(`${name}: bad local header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressed > buf.length) throw new ZipError(`${name}: the data is out of bounds`);
    const raw = buf.subarray(start, start + compressed);
    const room = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
    let data: Buffer;
    if (method === 0) {
      data = Buffer.from(raw);
    } else if (method === 8) {
      try {
        // One byte more than allowed, so "exactly at the limit" and "beyond it" can be told apart.
        data = inflateRawSync(raw, { maxOutputLength: room + 1 });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`${name}: expands beyond the size limit`);
        throw new ZipError(`${name}: the compressed data is corrupt`);
      }
    } else {
      throw new ZipError(`${name}: compression method ${method} is not supported`);
    }
    if (data.length > room) throw new ZipError(`${name}: expands beyond the size limit`);
    total += data.length;
    files.set(name, data);
  }
  return files;
}

function findEocd(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of up to 65535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipError('not a zip archive');
}
