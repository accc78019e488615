import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CA_FILE_MAX_BYTES, readCa } from '../../src/main/core/pool/tls';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
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
