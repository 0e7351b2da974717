/**
 * `--tls`: a throwaway certificate authority and a server certificate for 127.0.0.1, ::1 and
 * localhost, made at start (keys from node:crypto, certificates built with node-forge, which is loaded
 * only here). The CA certificate is written to a private temporary file so clients can trust it with
 * NODE_EXTRA_CA_CERTS; the Salesforce CLI refuses plain-http instance URLs (docs/interop.md "The emulator for these clients").
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { pki as Pki } from 'node-forge';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** PEM file of the CA that signed `cert`. */
  caFile: string;
  /** Removes the CA file and its directory. */
  dispose(): Promise<void>;
}

const DAY_MS = 86_400_000;

export async function createTlsMaterial(now: number): Promise<TlsMaterial> {
  const { default: forge } = await import('node-forge');
  const { pki } = forge;
  const keyPair = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const priv = pki.privateKeyFromPem(privateKey) as Pki.rsa.PrivateKey;
    return { pem: privateKey, priv, pub: pki.setRsaPublicKey(priv.n, priv.e) };
  };
  const certificate = (pub: Pki.PublicKey, subject: string) => {
    const cert = pki.createCertificate();
    cert.publicKey = pub;
    // Positive serial: a leading 0x01 byte keeps the top bit clear.
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    cert.validity.notBefore = new Date(now - DAY_MS);
    cert.validity.notAfter = new Date(now + 30 * DAY_MS);
    cert.setSubject([{ name: 'commonName', value: subject }, { name: 'organizationName', value: 'sfoauth emulator (not Salesforce)' }]);
    return cert;
  };

  const ca = keyPair();
  const caCert = certificate(ca.pub, 'sfoauth emulator local CA');
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  caCert.sign(ca.priv, forge.md.sha256.create());

  const server = keyPair();
  const serverCert = certificate(server.pub, '127.0.0.1');
  serverCert.setIssuer(caCert.subject.attributes);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }, { type: 2, value: 'localhost' }] },
  ]);
  serverCert.sign(ca.priv, forge.md.sha256.create());

  const dir = await mkdtemp(join(tmpdir(), 'sfoauth-emulator-tls-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pki.certificateToPem(caCert), { mode: 0o600 });
  return {
    key: server.pem,
    cert: pki.certificateToPem(serverCert),
    caFile,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
