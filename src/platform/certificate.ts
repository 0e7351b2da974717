/**
 * The key pair and self-signed certificate of the JWT bearer flow (docs/flows.md "The key and the
 * certificate"): an RSA 2048 key from node:crypto, an X.509 certificate built with node-forge (already
 * bundled for the emulator's --tls, pure JavaScript, loaded only here), the key written 0600 without
 * following links, the certificate next to it for the user to upload to the app. Plus the checks
 * `doctor` needs: does a key belong to a certificate, and when does the certificate expire.
 */
import { constants, fstatSync, openSync, closeSync, readSync, lstatSync } from 'node:fs';
import { generateKeyPair, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';
import { describeFsError, ensureSafeDir, hasCode, SECRET_FILE_MODE, writeSecretFileAtomic } from './safe-file.js';

const DAY_MS = 86_400_000;
/** Two years: long enough for CI, short enough that a forgotten key does not live forever. */
export const DEFAULT_VALIDITY_DAYS = 730;
export const RSA_BITS = 2048;
/** A PEM key or certificate is a few kilobytes; anything far bigger is not one (and is not read whole). */
const MAX_PEM_BYTES = 64 * 1024;

export interface KeyAndCertificate {
  /** PKCS#8 PEM. Secret: never print it. */
  privateKeyPem: string;
  certificatePem: string;
  notAfter: Date;
}

/** A new RSA key and a self-signed certificate for it (CN = commonName), valid from one hour ago. */
export async function generateKeyAndCertificate(opts: { commonName: string; now: number; validityDays?: number }): Promise<KeyAndCertificate> {
  const days = opts.validityDays ?? DEFAULT_VALIDITY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ConfigError('The certificate validity must be 1 to 3650 days.');
  const commonName = opts.commonName.replace(/[\p{Cc}]/gu, '').trim().slice(0, 64) || 'sfoauth';
  const { privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: RSA_BITS,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const { default: forge } = await import('node-forge');
  const { pki } = forge;
  const priv = pki.privateKeyFromPem(privateKey) as ReturnType<typeof pki.rsa.setPrivateKey>;
  const cert = pki.createCertificate();
  cert.publicKey = pki.setRsaPublicKey(priv.n, priv.e);
  // Positive serial: a leading 0x01 byte keeps the top bit clear.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // An hour back: a server whose clock runs a little behind still sees a valid certificate.
  cert.validity.notBefore = new Date(opts.now - 3_600_000);
  const notAfter = new Date(opts.now + days * DAY_MS);
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(priv, forge.md.sha256.create());
  return { privateKeyPem: privateKey, certificatePem: pki.certificateToPem(cert), notAfter };
}

/** `<dir>/<name>.crt` for `<dir>/<name>.key` (or `<file>.crt` for any other name). */
export function certificatePathFor(keyFile: string): string {
  return keyFile.endsWith('.key') ? `${keyFile.slice(0, -4)}.crt` : `${keyFile}.crt`;
}

/**
 * Writes the key (0600, atomically, never through a link) and the certificate next to it, in a
 * directory made 0700 when missing. Refuses to replace an existing key or certificate: the one on the
 * app in Salesforce would stop matching.
 */
export function writeKeyAndCertificate(keyFile: string, material: Pick<KeyAndCertificate, 'privateKeyPem' | 'certificatePem'>): { keyFile: string; certificateFile: string } {
  const certificateFile = certificatePathFor(keyFile);
  ensureSafeDir(path.dirname(keyFile));
  for (const file of [keyFile, certificateFile]) {
    if (exists(file)) {
      throw new ConfigError(`${file} already exists; sfoauth does not replace a key or certificate that an app may be using.`, {
        file,
        hint: 'Pass it with --private-key to use it, or move it away first.',
      });
    }
  }
  try {
    writeSecretFileAtomic(keyFile, material.privateKeyPem);
    writeSecretFileAtomic(certificateFile, material.certificatePem);
  } catch (err) {
    throw new ConfigError(`Could not write ${keyFile}: ${describeFsError(err)}.`, { cause: err, file: keyFile });
  }
  return { keyFile, certificateFile };
}

/** A generated pair goes where sfoauth keeps them: `keys/<name>.key` (and `.crt`) next to the config file. */
export function writeGeneratedKeyPair(storePath: string, name: string, material: Pick<KeyAndCertificate, 'privateKeyPem' | 'certificatePem'>): { keyFile: string; certificateFile: string } {
  return writeKeyAndCertificate(path.join(path.dirname(storePath), 'keys', `${name}.key`), material);
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (err) {
    if (hasCode(err) && err.code === 'ENOENT') return false;
    throw new ConfigError(`Cannot check ${file}: ${describeFsError(err)}.`, { cause: err, file });
  }
}

export interface PemFile {
  text: string;
  /** Permission bits; above 0600 (group or others can read) a private key is exposed. */
  mode: number;
  tooOpen: boolean;
}

/** Reads a PEM file (a key or a certificate) without following a link at the path and without reading more than 64 KiB. */
export function readPemFile(file: string): PemFile {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    throw new ConfigError(`Cannot read ${file}: ${describeFsError(err)}.`, { cause: err, file, hint: 'Pass the path of the PEM file itself, not a link to it.' });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigError(`${file} is not a regular file.`, { file });
    if (st.size > MAX_PEM_BYTES) throw new ConfigError(`${file} is ${st.size} bytes, too big for a PEM key or certificate.`, { file });
    const buffer = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buffer, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const mode = st.mode & 0o777;
    return { text: buffer.subarray(0, read).toString('utf8'), mode, tooOpen: process.platform !== 'win32' && (mode & ~SECRET_FILE_MODE) !== 0 };
  } finally {
    closeSync(fd);
  }
}

export interface CertificateInfo {
  subject: string;
  notBefore: Date;
  notAfter: Date;
  expired: boolean;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  /** SHA-256 fingerprint, colon-separated hex: what Setup shows next to an uploaded certificate. */
  fingerprint256: string;
}

export function certificateInfo(certificatePem: string, now: number): CertificateInfo {
  const cert = parseCertificate(certificatePem);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  return {
    subject: cert.subject,
    notBefore,
    notAfter,
    expired: now >= notAfter.getTime() || now < notBefore.getTime(),
    daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
    fingerprint256: cert.fingerprint256,
  };
}

/** True when the private key is the one whose public half the certificate carries. */
export function keyMatchesCertificate(privateKeyPem: string, certificatePem: string): boolean {
  const cert = parseCertificate(certificatePem);
  let key;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new ConfigError('The private key is not a readable PEM private key.');
  }
  return cert.checkPrivateKey(key);
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ConfigError('The certificate is not a readable PEM X.509 certificate (-----BEGIN CERTIFICATE-----).');
  }
}
