import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CA_FILE_MAX_BYTES, readCa } from '../../src/main/core/pool/tls';

// A real certificate: a file with only the markers is refused (see ca-file.test.ts).
const PEM = readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem'), 'utf8');
let dir: string;
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'ca-file-')));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// The CA path is typed on a screen by a manager, and read on the console's event loop.
describe('reading a pool CA file', () => {
  it('reads a PEM file', () => {
    fresh();
    writeFileSync(join(dir, 'ca.pem'), PEM);
    expect(readCa(join(dir, 'ca.pem')).toString()).toBe(PEM);
  });

  it('refuses a device that never ends, without reading it', () => {
    fresh();
    expect(() => readCa('/dev/zero')).toThrow(/is not a file/);
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    fresh();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(() => readCa(fifo)).toThrow(/is not a file/);
  });

  it('refuses a directory, a missing path and a file past the cap, in words', () => {
    fresh();
    expect(() => readCa(dir)).toThrow(/is not a file/);
    expect(() => readCa(join(dir, 'nope.pem'))).toThrow(/there is no file there\. Check the path/);
    writeFileSync(join(dir, 'big.pem'), PEM + 'x'.repeat(CA_FILE_MAX_BYTES));
    expect(() => readCa(join(dir, 'big.pem'))).toThrow(/larger than 1024 KB/);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(() => readCa(join(dir, 'notes.txt'))).toThrow(/not a PEM certificate file/);
  });
});

// The markers alone let a spoiled file through: it broke the pool at the next reconnect, blaming the backend's certificate.
describe('what is between the certificate markers', () => {
  it('refuses bytes that are not a certificate, in the CA file words', () => {
    fresh();
    writeFileSync(join(dir, 'garbage.pem'), '-----BEGIN CERTIFICATE-----\nMIIBbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(() => readCa(join(dir, 'garbage.pem'))).toThrow(/garbage\.pem is not a CA certificate file: what is between its certificate lines is not a readable certificate/);
  });

  it('refuses a bundle with one spoiled certificate, naming which, and one cut short', () => {
    fresh();
    writeFileSync(join(dir, 'bundle.pem'), PEM + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => readCa(join(dir, 'bundle.pem'))).toThrow(/certificate 2 of 2 is not a readable certificate/);
    writeFileSync(join(dir, 'cut.pem'), PEM + PEM.slice(0, 200));
    expect(() => readCa(join(dir, 'cut.pem'))).toThrow(/has no "-----END CERTIFICATE-----" line/);
  });

  it('reads a bundle of real certificates', () => {
    fresh();
    writeFileSync(join(dir, 'bundle.pem'), PEM + PEM);
    expect(readCa(join(dir, 'bundle.pem')).toString()).toBe(PEM + PEM);
  });
});
