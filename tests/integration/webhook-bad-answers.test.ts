import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/main/core/clock';
import { alertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';
import { deliveryError } from '../../src/main/core/alerts/webhooks';

/** A receiver that was reached but answers something that is not a readable HTTP answer is not "unreachable". */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP server that answers each request with `answer` (raw bytes), or cuts the connection when null. */
async function rawReceiver(answer: string | null) {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => (answer === null ? s.destroy() : s.end(answer)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

async function lastError(url: string): Promise<string> {
  const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-bad-')), systemClock, [0, 60_000]);
  cleanups.push(rig.close);
  rig.center.saveWebhook({ url, secret: SECRET, enabled: true, timeoutSeconds: 2 }, 'Manager');
  rig.raise('bad-answer');
  await waitFor(() => rig.center.deliveries.list()[0]?.attempts === 1, 3_000);
  return rig.center.deliveries.list()[0]!.lastError ?? '';
}

describe('a webhook receiver that was reached but answered badly', () => {
  it('nothing listening: said in words, with no error code', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await new Promise<void>((r) => server.close(() => r())); // closed: the port now refuses
    expect(await lastError(url)).toBe('nothing answers at that address: the receiver is not running there, or the port is wrong');
  });

  it('too many headers: reached, its answer could not be read', async () => {
    const headers = Array.from({ length: 20_000 }, (_, i) => `x-h${i}: ${'v'.repeat(20)}`).join('\r\n');
    expect(await lastError(await rawReceiver(`HTTP/1.1 200 OK\r\n${headers}\r\n\r\n`))).toBe('something answered there, but not as a web server does: check the address');
  });

  it('not HTTP at all: reached, its answer could not be read', async () => {
    expect(await lastError(await rawReceiver('SSH-2.0-OpenSSH_9.2\r\n'))).toBe('something answered there, but not as a web server does: check the address');
  });

  it('cut off without an answer: the connection was cut', async () => {
    expect(await lastError(await rawReceiver(null))).toBe('the connection was cut before the receiver answered');
  });
});

// The log's "Last answer" showed "could not reach it (getaddrinfo ENOTFOUND hooks.example)": codes, not words.
describe('a delivery that failed on the network, in the log', () => {
  const fetchFailed = (code: string, message: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
  it.each([
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND hooks.example', "no computer by that name was found: check the address for a typo, and this PC's network"],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN hooks.example', "no computer by that name was found: check the address for a typo, and this PC's network"],
    ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:443', 'nothing answers at that address: the receiver is not running there, or the port is wrong'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.5:443', "could not reach it: check this PC's network, or ask IT whether the receiver is up"],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', "could not reach it: check this PC's network, or ask IT whether the receiver is up"],
    ['EMFILE', 'connect EMFILE', 'this PC ran out of network connections or open files (the receiver may be fine); restart the console if it keeps happening'],
    // Certificates in the backend's own words, by code: "not trusted or does not match" sent IT hunting for both.
    ['CERT_HAS_EXPIRED', 'certificate has expired', "the secure connection failed: the receiver's certificate expired: its owner must renew it"],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', "the secure connection failed: the receiver's certificate is not valid yet: its owner must check its dates; if it should be valid, check this PC's date and time"],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', "the secure connection failed: the receiver's certificate is not trusted (it is signed by an authority this PC does not know): ask its owner for a certificate from an authority this PC trusts"],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', "the secure connection failed: the receiver's certificate is not trusted (it is signed by an authority this PC does not know): ask its owner for a certificate from an authority this PC trusts"],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', 'the receiver does not use a secure connection: the address probably should start with http:// instead of https://'],
    ['ECONNRESET', 'read ECONNRESET', 'the connection was cut before the receiver answered'],
  ])('%s is said in words', (code, message, words) => {
    const said = deliveryError(fetchFailed(code, message), 15);
    expect(said).toBe(words);
    expect(said).not.toContain(code);
    expect(said).not.toMatch(/getaddrinfo|connect /);
  });

  it('a certificate for another name says which names it is for and which was asked, as the pool does', () => {
    const wrongName = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error("Hostname/IP does not match certificate's altnames: Host: hooks.example. is not in the cert's altnames: DNS:other.example"), {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        host: 'hooks.example',
        cert: { subjectaltname: 'DNS:other.example, DNS:www.other.example' },
      }),
    });
    expect(deliveryError(wrongName, 15)).toBe("the secure connection failed: the receiver's certificate is for other.example, www.other.example, not hooks.example: use the name on the certificate in the webhook's address, or ask its owner for a certificate for this address");
  });
});
