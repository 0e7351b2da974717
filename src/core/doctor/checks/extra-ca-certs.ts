/**
 * Machine: NODE_EXTRA_CA_CERTS, when set, names a readable PEM file. Behind a proxy that inspects TLS it
 * is how Node learns the proxy's CA; Node reads it once at start-up and only prints a warning when it
 * cannot, so a wrong path shows up later as a certificate error on every request.
 */
import { readFile } from 'node:fs/promises';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass } from '../../checks/check.js';
import { errnoCode, type DoctorCheck } from '../context.js';
import { shellQuote } from '../../shell-quote.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----/g;

export const extraCaCertsCheck: DoctorCheck = {
  id: 'extra-ca-certs',
  group: 'machine',
  title: 'Extra CA certificates',
  async run(ctx) {
    const file = ctx.env.NODE_EXTRA_CA_CERTS;
    if (file === undefined || file === '') return pass('NODE_EXTRA_CA_CERTS is not set (only needed behind a proxy that inspects TLS)');
    let text: string;
    try {
      text = await readFile(file, 'latin1');
    } catch (err) {
      const code = errnoCode(err);
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not readable' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'unexpected error'})`;
      return fail(`NODE_EXTRA_CA_CERTS=${file} ${why}, so Node ignores it`, `point NODE_EXTRA_CA_CERTS at the PEM file with your proxy's CA certificate (ask IT for it), or unset it`, {
        exitCode: EXIT.USAGE,
      });
    }
    const count = text.match(PEM_CERT)?.length ?? 0;
    if (count === 0) {
      return fail(
        `NODE_EXTRA_CA_CERTS=${file} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`,
        `convert it to PEM, e.g. openssl x509 -inform der -in ${shellQuote(file)} -out ca.pem, and point NODE_EXTRA_CA_CERTS at ca.pem`,
        { exitCode: EXIT.USAGE },
      );
    }
    return pass(`NODE_EXTRA_CA_CERTS=${file}: ${count} certificate${count === 1 ? '' : 's'}`);
  },
};
