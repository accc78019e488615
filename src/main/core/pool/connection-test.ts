import type { EndpointTestResult } from '../../../shared/backend';
import type { Clock } from '../clock';
import { BackendConnection, type SocketFactory } from './connection';
import { cause, causeOfNoAnswer, causeOfNoPong, faultyMessageWords, type CertError } from './failure-cause';
import { withCertificateDates } from './cert-dates';

export interface TestOptions {
  token: string;
  clock: Clock;
  socketFactory: SocketFactory;
  /** The whole try, handshake and one round trip, ends after this long. */
  limitMs?: number;
}

/** A one-off try of each endpoint: hello, welcome, one ping; no subscription; closed after. */
export function testEndpoints(urls: string[], opts: TestOptions): Promise<EndpointTestResult[]> {
  return Promise.all(urls.map((url) => testOne(url, opts)));
}

function testOne(url: string, { token, clock, socketFactory, limitMs = 8_000 }: TestOptions): Promise<EndpointTestResult> {
  // The socket's own error, kept: a certificate's dates are read from it (or looked up) for the words.
  let socketError: CertError | null = null;
  const factory: SocketFactory = (u) => {
    const ws = socketFactory(u);
    ws.on('error', (e: CertError) => (socketError = e));
    return ws;
  };
  const conn = new BackendConnection(url, { token, clock, socketFactory: factory, clientName: 'av-gym-console (connection test)', heartbeatMs: 1_000 });
  return new Promise<EndpointTestResult>((resolve) => {
    let done = false;
    const finish = (r: EndpointTestResult): void => {
      if (done) return;
      done = true;
      clock.clearTimeout(limit);
      resolve(r);
      conn.close('connection test done');
    };
    // Greeted but never answered the ping: said as that, not as a greeting left unanswered (probe-hostile21 J11).
    const limit = clock.setTimeout(() => finish({ url, ok: false, cause: conn.state === 'open' ? causeOfNoPong(limitMs) : causeOfNoAnswer(limitMs, `no answer within ${limitMs} ms`) }), limitMs);
    conn.on('open', () => conn.probe(limitMs));
    conn.on('pong', ({ rttMs }) => finish({ url, ok: true, instance: conn.instance ?? '', rttMs }));
    // A message the console cannot accept is the answer to the test: waiting out the limit would only hide it.
    // Its socket's own verdict, when one follows in the same turn (a frame over the limit closes it), says more.
    // Before the welcome, as a pool does: counted, and said at the handshake's deadline if no readable welcome follows
    // (the test and Overview must not disagree: review21 K6).
    conn.on('protocolError', (f) => conn.state === 'open' && clock.defer(() => finish({ url, ok: false, cause: conn.failure ?? cause('breaks-protocol', `It sent ${faultyMessageWords(f.frameType, f.bytes, f.schema ? undefined : f.reason)}.`) })));
    conn.on('close', (reason) => {
      const failed = conn.failure ?? cause('closed-by-backend', reason);
      if (failed.kind !== 'tls') return finish({ url, ok: false, cause: failed });
      clock.clearTimeout(limit); // the look at the certificate has its own short limit
      void withCertificateDates(failed, socketError, url, clock).then((c) => finish({ url, ok: false, cause: c }));
    });
    try {
      conn.connect();
    } catch (e) {
      // A URL ws cannot even try (it throws synchronously).
      finish({ url, ok: false, cause: cause('unreachable', (e as Error).message) });
    }
  });
}
