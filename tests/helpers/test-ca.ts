import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Made with openssl at test time: tests that need it are skipped on a machine without one. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

export interface TestCa {
  /** The folder holding the files (a fresh temp one unless given). */
  dir: string;
  /** The server's key and certificate for 127.0.0.1, signed by the CA: a wss:// backend's `tls`. */
  key: Buffer;
  cert: Buffer;
  /** The CA's certificate, as a gym's IT would hand it over: a pool's CA file. */
  caFile: string;
}

/**
 * A private CA and a certificate for 127.0.0.1 signed by it, as a gym's IT might make; `serverDays` the days it has
 * left (Health warns of one running out within 14 days: the default is well past that), issued `issuedDaysAgo` ago.
 */
export function makeTestCa(dir = mkdtempSync(join(tmpdir(), 'gym-test-ca-')), serverDays = 60, issuedDaysAgo = 0): TestCa {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '90', '-subj', '/CN=Gym Test CA');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  if (issuedDaysAgo > 0) {
    // Issued in the past (as a 90-day certificate near its end is): `openssl ca` is the one that takes a start date.
    const stamp = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca = gym\n[gym]\ndir = .\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n[server]\nsubjectAltName = IP:127.0.0.1\n');
    run('ca', '-batch', '-config', 'ca.cnf', '-in', 'server.csr', '-out', 'server.pem', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-startdate', stamp(-issuedDaysAgo), '-enddate', stamp(serverDays), '-extensions', 'server', '-notext');
  } else run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', String(serverDays), '-extfile', 'san.ext');
  return { dir, key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')), caFile: join(dir, 'ca.pem') };
}

/** The same, but the backend's certificate ran out yesterday (-days -1): the CA is fine, the certificate is not. */
export const makeExpiredCa = (dir = mkdtempSync(join(tmpdir(), 'gym-expired-'))): TestCa => makeTestCa(dir, -1);
