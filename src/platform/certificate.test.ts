import { spawnSync } from 'node:child_process';
import { createPublicKey, createVerify, generateKeyPairSync, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtBearerClaims, signJwtBearerAssertion } from '../core/oauth/jwt-assertion.js';
import { ConfigError } from '../errors.js';
import {
  certificateInfo,
  certificatePathFor,
  generateKeyAndCertificate,
  keyMatchesCertificate,
  readPemFile,
  writeKeyAndCertificate,
  type KeyAndCertificate,
} from './certificate.js';

const NOW = Date.UTC(2026, 11, 1, 4, 30);
const DAY = 86_400_000;
const POSIX = process.platform !== 'win32';
const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasOpenssl) console.warn('SKIPPED: openssl is not on PATH, so the certificate is not checked with `openssl x509`.');

let material: KeyAndCertificate;
let dir: string;
beforeAll(async () => {
  material = await generateKeyAndCertificate({ commonName: 'sfoauth ci-bot', now: NOW });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-cert-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('generateKeyAndCertificate', () => {
  it('makes an RSA 2048 key and a self-signed certificate for it, valid two years', () => {
    const cert = new X509Certificate(material.certificatePem);
    expect(cert.subject).toBe('CN=sfoauth ci-bot');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true); // self-signed
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(cert.validTo).getTime()).toBe(Math.floor((NOW + 730 * DAY) / 1000) * 1000);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(NOW);
    expect(material.notAfter.getTime()).toBe(NOW + 730 * DAY);
    expect(material.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    // The public keys match: the certificate carries the key's public half.
    const fromKey = createPublicKey(material.privateKeyPem).export({ type: 'spki', format: 'der' });
    expect(Buffer.compare(cert.publicKey.export({ type: 'spki', format: 'der' }), fromKey)).toBe(0);
  });

  it('signs JWTs that verify against the certificate, as Salesforce checks them', () => {
    const claims = jwtBearerClaims({ consumerKey: 'key', username: 'ci@acme.example', audience: 'https://login.salesforce.com', now: NOW });
    const [header, payload, signature] = signJwtBearerAssertion(claims, material.privateKeyPem).split('.') as [string, string, string];
    const cert = new X509Certificate(material.certificatePem);
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(cert.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('keeps control characters out of the subject', async () => {
    const odd = await generateKeyAndCertificate({ commonName: 'evil\u001b[2Jname\n', now: NOW, validityDays: 1 });
    expect(new X509Certificate(odd.certificatePem).subject).toBe('CN=evil[2Jname');
    await expect(generateKeyAndCertificate({ commonName: 'x', now: NOW, validityDays: 0 })).rejects.toThrow(ConfigError);
  });

  it.skipIf(!hasOpenssl)('validates with `openssl x509` and matches the key there too', () => {
    const { keyFile, certificateFile } = writeKeyAndCertificate(path.join(dir, 'openssl', 'jwt.key'), material);
    const text = spawnSync('openssl', ['x509', '-noout', '-text', '-in', certificateFile], { encoding: 'utf8' });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Subject: CN = sfoauth ci-bot');
    expect(text.stdout).toContain('Public-Key: (2048 bit)');
    expect(text.stdout).toContain('sha256WithRSAEncryption');
    const fromCert = spawnSync('openssl', ['x509', '-noout', '-pubkey', '-in', certificateFile], { encoding: 'utf8' });
    const fromKey = spawnSync('openssl', ['pkey', '-pubout', '-in', keyFile], { encoding: 'utf8' });
    expect(fromCert.status).toBe(0);
    expect(fromKey.status).toBe(0);
    expect(fromCert.stdout).toBe(fromKey.stdout);
  });
});

describe('writeKeyAndCertificate', () => {
  it('writes the key 0600 and the certificate next to it, in a 0700 directory it creates', () => {
    const keyFile = path.join(dir, 'new', 'sub', 'prod.key');
    const out = writeKeyAndCertificate(keyFile, material);
    expect(out).toEqual({ keyFile, certificateFile: path.join(dir, 'new', 'sub', 'prod.crt') });
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(material.privateKeyPem);
    expect(fs.readFileSync(out.certificateFile, 'utf8')).toBe(material.certificatePem);
    if (POSIX) {
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(path.dirname(keyFile)).sort()).toEqual(['prod.crt', 'prod.key']); // no temp files left
  });

  it('never replaces an existing key, and never writes through a planted link', () => {
    const keyFile = path.join(dir, 'keep.key');
    fs.writeFileSync(keyFile, 'the key an app already uses');
    expect(() => writeKeyAndCertificate(keyFile, material)).toThrow(/already exists/);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe('the key an app already uses');

    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'untouched');
    const linked = path.join(dir, 'linked.key');
    fs.symlinkSync(victim, linked);
    expect(() => writeKeyAndCertificate(linked, material)).toThrow(ConfigError);
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
  });

  it('names the certificate after the key', () => {
    expect(certificatePathFor('/x/a.key')).toBe('/x/a.crt');
    expect(certificatePathFor('/x/a.pem')).toBe('/x/a.pem.crt');
  });
});

describe('checks for doctor', () => {
  it('tells a matching key from another one', () => {
    expect(keyMatchesCertificate(material.privateKeyPem, material.certificatePem)).toBe(true);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(keyMatchesCertificate(other.privateKey, material.certificatePem)).toBe(false);
    expect(() => keyMatchesCertificate('garbage', material.certificatePem)).toThrow(/not a readable PEM private key/);
    expect(() => keyMatchesCertificate(material.privateKeyPem, 'garbage')).toThrow(/not a readable PEM X.509 certificate/);
  });

  it('reports the expiry', () => {
    const info = certificateInfo(material.certificatePem, NOW);
    expect(info).toMatchObject({ subject: 'CN=sfoauth ci-bot', expired: false, daysLeft: 730 });
    expect(info.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const later = certificateInfo(material.certificatePem, NOW + 731 * DAY);
    expect(later.expired).toBe(true);
    expect(later.daysLeft).toBeLessThan(0);
  });

  it('reads a PEM file with its mode, refusing links and huge files', () => {
    const keyFile = path.join(dir, 'read', 'r.key');
    writeKeyAndCertificate(keyFile, material);
    expect(readPemFile(keyFile)).toEqual({ text: material.privateKeyPem, mode: POSIX ? 0o600 : expect.any(Number), tooOpen: false });
    if (POSIX) {
      fs.chmodSync(keyFile, 0o644);
      expect(readPemFile(keyFile).tooOpen).toBe(true);
      const link = path.join(dir, 'read', 'link.key');
      fs.symlinkSync(keyFile, link);
      expect(() => readPemFile(link)).toThrow(/Cannot read .*link\.key: it is a symlink/);
    }
    const big = path.join(dir, 'read', 'big.pem');
    fs.writeFileSync(big, Buffer.alloc(70 * 1024, 65));
    expect(() => readPemFile(big)).toThrow(/too big/);
  });
});
