import { describe, expect, it } from 'vitest';
import { cause, causeOfHttpAnswer, causeOfNoAnswer, causeOfRefusal, causeOfSocketError, causeOfStalledConnect, summaryCause, summaryCauseAt, causeOfOwnRefusal, causeOfClose } from '../../src/main/core/pool/failure-cause';
import { UNSEEN_CHAR } from '../../src/shared/backend-text';
import { redirectTarget, retryAfterWords } from '../../src/main/core/pool/http-answer';
import { backendProblems, hasProblems } from '../../src/shared/backend';
import { CAUSE_KINDS } from '../../src/shared/pools';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('why a connection fails', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:9100', 'ECONNREFUSED', 'refused'],
    ['getaddrinfo ENOTFOUND gym-backend.local', 'ENOTFOUND', 'unreachable'],
    ['getaddrinfo EAI_AGAIN gym-backend.local', 'EAI_AGAIN', 'unreachable'],
    ['connect ETIMEDOUT 10.0.0.5:9100', 'ETIMEDOUT', 'unreachable'],
    ['connect EHOSTUNREACH 10.0.0.5:9100', 'EHOSTUNREACH', 'unreachable'],
    ['connect ENETUNREACH 10.0.0.5:9100', 'ENETUNREACH', 'unreachable'],
    ['read ECONNRESET', 'ECONNRESET', 'closed-by-backend'],
    // This PC out of file handles or ports (a hostile probe held 1,000 idle sockets open): never the backend's fault.
    ['connect EMFILE 127.0.0.1 - Local (undefined:undefined)', 'EMFILE', 'this-pc'],
    ['connect ENFILE 127.0.0.1', 'ENFILE', 'this-pc'],
    ['connect EADDRNOTAVAIL 127.0.0.1:9100 - Local (0.0.0.0:0)', 'EADDRNOTAVAIL', 'this-pc'],
    ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['certificate has expired', 'CERT_HAS_EXPIRED', 'tls'],
    ["Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER', 'not-tls'],
    ['write EPROTO', 'EPROTO', 'tls'],
    // What Node says when wss:// meets a plain ws:// backend: the other side does not speak TLS at all.
    ['write EPROTO 80CCD199AA7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:', 'EPROTO', 'not-tls'],
    ['write EPROTO error:0A0000C6:SSL routines::packet length too long', 'EPROTO', 'not-tls'],
    ['write EPROTO error:1408F10B:SSL routines:ssl3_get_record:unknown protocol', 'EPROTO', 'not-tls'],
    ['sslv3 alert handshake failure', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'tls'],
    ['Unexpected server response: 404', undefined, 'not-backend'],
    ['Unexpected server response: 401', undefined, 'turned-away'],
    ['Unexpected server response: 502', undefined, 'gateway'],
    ['Invalid Sec-WebSocket-Accept header', undefined, 'not-backend'],
    ['Opening handshake has timed out', undefined, 'unreachable'],
    ['something nobody expected', undefined, 'closed-by-backend'],
    // A wss://-only backend hangs up on a plain greeting; on a wss:// address a hang-up says nothing of the scheme.
    ['socket hang up', 'ECONNRESET', 'hung-up', 'ws://10.0.0.5:9100'],
    ['socket hang up', 'ECONNRESET', 'closed-by-backend', 'wss://10.0.0.5:9100'],
    ['read ECONNRESET', 'ECONNRESET', 'closed-by-backend', 'ws://10.0.0.5:9100'],
  ])('%s (%s) is %s', (message, code, kind, url?: string) => {
    const c = causeOfSocketError(err(message, code), url);
    expect(c.kind).toBe(kind);
    expect(c.detail).toContain(message);
    expect(c.text.length).toBeGreaterThan(10);
    expect(c.next.length).toBeGreaterThan(10);
    expect(c.nextHere.length).toBeGreaterThan(10);
  });

  // probe-readme18 #4: a mistyped host name (ENOTFOUND) was blamed on "the network cable or Wi-Fi".
  it('a name that finds no computer says the name may be misspelt, naming it, before any network advice', () => {
    const typo = causeOfSocketError(err('getaddrinfo ENOTFOUND gym-backnd.invalid', 'ENOTFOUND'), 'ws://gym-backnd.invalid:9100');
    expect(typo.kind).toBe('unreachable');
    expect(typo.text).toBe('No computer called gym-backnd.invalid was found: the name may be misspelt.');
    expect(typo.next).toBe("Check the spelling of the name gym-backnd.invalid under Backend connection (Connection Pools tab), or use the backend's IP address instead; if the name is right, ask the gym's IT to check this PC's network (its name server).");
    expect(typo.nextHere).toMatch(/^Check the spelling of the name gym-backnd\.invalid in the address above, or use the backend's IP address instead/);
    expect(`${typo.text} ${typo.next}`).not.toMatch(/cable|Wi-Fi/);
    // No name server answered: the spelling first still, then this PC's network.
    const noAnswer = causeOfSocketError(err('getaddrinfo EAI_AGAIN gym-backend.local', 'EAI_AGAIN'), 'wss://gym-backend.local:9443');
    expect(noAnswer.text).toBe("This PC could not look up the name gym-backend.local: no name server answered. The name may be misspelt, or this PC's network may be down.");
    expect(noAnswer.next).toMatch(/^Check the spelling of the name gym-backend\.local .* if the name is right, check this PC's network cable or Wi-Fi\.$/);
  });

  it('a scheme typo is said as one, not as a certificate problem', () => {
    const wssToPlain = causeOfSocketError(err('write EPROTO error:0A00010B:SSL routines:ssl3_get_record:wrong version number', 'EPROTO'));
    expect(wssToPlain.text).toMatch(/does not use a secure connection: the address probably should start with ws:\/\/ instead of wss:\/\//);
    expect(`${wssToPlain.text} ${wssToPlain.next} ${wssToPlain.nextHere}`).not.toMatch(/certificate|CA file/);
    const plainToWss = causeOfSocketError(err('socket hang up', 'ECONNRESET'), 'ws://10.0.0.5:9100');
    expect(plainToWss.nextHere).toMatch(/change ws:\/\/ to wss:\/\//);
  });

  it('a connect that stalls blames the network only when TCP never got through', () => {
    const timedOut = causeOfSocketError(err('Opening handshake has timed out'));
    expect(causeOfStalledConnect(timedOut, false, 3_000)).toBe(timedOut);
    const reached = causeOfStalledConnect(timedOut, true, 3_000);
    expect(reached).toMatchObject({ kind: 'no-welcome', detail: expect.stringMatching(/^Opening handshake has timed out \(TCP connected/) });
    // Reached, so never "cannot reach": it took the connection and then said nothing for so long.
    expect(reached.text).toBe("The console reached the backend's address, but the backend did not answer it within 3 seconds.");
    expect(reached.text).not.toMatch(/cannot reach/);
    expect(reached.next).toMatch(/not another program's on that port/);
    expect(reached.next).toMatch(/overloaded/);
    expect(reached.next).not.toMatch(/cable/);
    const tls = cause('tls', 'self-signed certificate');
    expect(causeOfStalledConnect(tls, true, 3_000)).toBe(tls);
  });

  // One fact, one code and one sentence: Overview, Connection Pools, Health and Test connection said it two ways.
  it('no answer to the greeting is one cause, however it was seen, with the wait in seconds', () => {
    const silentWhileOpening = causeOfStalledConnect(cause('unreachable', 'heartbeat timeout'), true, 1_000, true);
    const noWelcome = causeOfNoAnswer(500, 'no welcome within 500 ms');
    expect(silentWhileOpening).toMatchObject({ kind: 'no-welcome', detail: 'heartbeat timeout (TCP connected, WebSocket open, no welcome)' });
    expect(silentWhileOpening.text).toMatch(/within a second\.$/);
    expect(noWelcome.text).toMatch(/within a second\.$/);
    // A deadline fires a little late: the words stay the same from one try to the next.
    for (const ms of [3_000, 3_004, 3_240]) expect(causeOfNoAnswer(ms, 'x').text).toMatch(/within 3 seconds\.$/);
    expect(CAUSE_KINDS).not.toContain('no-handshake');
  });

  // Shown on the Backend connection screen itself, a hint must not send staff to that screen.
  it.each(CAUSE_KINDS)('%s: the hint shown on the Backend connection screen fits where it is shown', (kind) => {
    expect(cause(kind, 'x').nextHere).not.toMatch(/Backend connection|Connection Pools tab/);
  });

  it("names the backend's refusals, and only those that end the session", () => {
    expect(causeOfRefusal('unauthorized', 'The backend token is wrong.')).toMatchObject({ kind: 'unauthorized', text: "The backend refused the console's token." });
    expect(causeOfRefusal('unauthorized', 'x')!.next).toMatch(/manager can enter the right one under Backend connection/);
    expect(causeOfRefusal('unauthorized', 'x')!.nextHere).toMatch(/^Type the right token in Backend token above/);
    expect(causeOfRefusal('unsupported-version', 'speaks 1')?.kind).toBe('unsupported-version');
    expect(causeOfRefusal('bad-frame', 'x')).toBeNull();
  });

  it('sums up with the most telling cause: a wrong token explains more than a closed socket', () => {
    const closed = cause('closed-by-backend', 'closed (1006)');
    const refused = cause('refused', 'ECONNREFUSED');
    const token = cause('unauthorized', 'wrong');
    expect(summaryCause([closed, null, token, refused])).toBe(token);
    expect(summaryCause([closed, refused])).toBe(refused);
    expect(summaryCause([null, null])).toBeNull();
    expect(summaryCause([])).toBeNull();
  });

  // readme24 R5: "A web server answers at this address" read as the first address listed, whose fault was another.
  it('several addresses failing for different reasons: each said at its address, the most telling first', () => {
    const refused = cause('refused', 'ECONNREFUSED');
    const page = cause('not-backend', 'HTTP 404 Not Found');
    const both = summaryCauseAt([
      { url: 'ws://127.0.0.1:18199', cause: refused },
      { url: 'ws://127.0.0.1:18600', cause: page },
    ])!;
    const best = summaryCause([refused, page])!;
    expect(both.kind).toBe(best.kind);
    const first = best === page ? ['18600', page] : ['18199', refused];
    const second = best === page ? ['18199', refused] : ['18600', page];
    expect(both.text).toBe("The backend's addresses fail in different ways.");
    // Each reason with its own fix beside it (review24 V9), not all reasons and then all fixes.
    const [a, b] = [first[1] as typeof page, second[1] as typeof page];
    expect(both.next).toBe(`At 127.0.0.1:${first[0]}: ${a.text} ${a.next} At 127.0.0.1:${second[0]}: ${b.text} ${b.next}`);
    expect(both.nextHere).toBe(`At 127.0.0.1:${first[0]}: ${a.text} ${a.nextHere} At 127.0.0.1:${second[0]}: ${b.text} ${b.nextHere}`);
    // Two addresses with one reason and a third with another: the two said together.
    const three = summaryCauseAt([
      { url: 'ws://127.0.0.1:1', cause: refused },
      { url: 'ws://127.0.0.1:2', cause: page },
      { url: 'ws://127.0.0.1:3', cause: cause('refused', 'ECONNREFUSED') },
    ])!;
    expect(three.next.match(/At /g)).toHaveLength(2);
    expect(three.next).toContain(`At 127.0.0.1:1 and 127.0.0.1:3: ${refused.text} ${refused.next}`);
    // One reason for all (or one address): said as it was.
    expect(summaryCauseAt([{ url: 'ws://a:1', cause: refused }, { url: 'ws://b:1', cause: cause('refused', 'ECONNREFUSED') }])).toBe(refused);
    expect(summaryCauseAt([{ url: 'ws://a:1', cause: page }, { url: 'ws://a:1', cause: refused }])!.text).toBe(summaryCause([page, refused])!.text);
    expect(summaryCauseAt([])).toBeNull();
  });
});

describe('a backend change, field by field', () => {
  it('gives one message per bad address, by position, and none for good ones', () => {
    const p = backendProblems({ endpoints: ['ws://10.0.0.5:9100', 'http://10.0.0.6:9100', 'ws://10.0.0.5:70000', 'WS://10.0.0.5:9100'], token: 'ok-token' });
    expect(p.endpoints[0]).toBeNull();
    expect(p.endpoints[1]).toMatch(/must start with ws:\/\/ or wss:\/\//);
    expect(p.endpoints[2]).toMatch(/port 70000/);
    expect(p.endpoints[3]).toMatch(/listed twice/);
    expect(p.token).toBeNull();
    expect(hasProblems(p)).toBe(true);
  });

  it('refuses an empty list and a token with spaces; accepts a clean change', () => {
    expect(backendProblems({ endpoints: [] }).list).toMatch(/at least one backend address/);
    expect(backendProblems({ token: 'two words' }).token).toMatch(/no spaces/);
    expect(backendProblems({ token: '   ' }).token).toMatch(/Type the backend token/);
    expect(hasProblems(backendProblems({ endpoints: ['wss://gym.example:443'], token: 's3cret' }))).toBe(false);
    expect(hasProblems(backendProblems({}))).toBe(false);
  });
});

/** Every `WS_ERR_*` code the installed ws can raise, read from its own source: a new one shows up here. */
function wsErrorCodes(): string[] {
  const lib = join(dirname(createRequire(import.meta.url).resolve('ws/package.json')), 'lib');
  const codes = new Set<string>();
  for (const f of readdirSync(lib)) for (const m of readFileSync(join(lib, f), 'utf8').matchAll(/'(WS_ERR_[A-Z0-9_]+)'/g)) codes.add(m[1]!);
  return [...codes].sort();
}

/** llhttp's error codes (Node's HTTP parser), as `HPE_*`, plus Node's own header and chunk-extension limits. */
const HPE = ['INTERNAL', 'STRICT', 'CR_EXPECTED', 'LF_EXPECTED', 'UNEXPECTED_CONTENT_LENGTH', 'UNEXPECTED_SPACE', 'CLOSED_CONNECTION', 'INVALID_METHOD', 'INVALID_URL', 'INVALID_CONSTANT', 'INVALID_VERSION', 'INVALID_HEADER_TOKEN', 'INVALID_CONTENT_LENGTH', 'INVALID_CHUNK_SIZE', 'INVALID_STATUS', 'INVALID_EOF_STATE', 'INVALID_TRANSFER_ENCODING', 'CB_MESSAGE_BEGIN', 'CB_HEADERS_COMPLETE', 'CB_MESSAGE_COMPLETE', 'CB_CHUNK_HEADER', 'CB_CHUNK_COMPLETE', 'PAUSED', 'PAUSED_UPGRADE', 'PAUSED_H2_UPGRADE', 'USER', 'CB_URL_COMPLETE', 'CB_STATUS_COMPLETE', 'CB_METHOD_COMPLETE', 'CB_VERSION_COMPLETE', 'CB_HEADER_FIELD_COMPLETE', 'CB_HEADER_VALUE_COMPLETE', 'CB_CHUNK_EXTENSION_NAME_COMPLETE', 'CB_CHUNK_EXTENSION_VALUE_COMPLETE', 'CB_RESET', 'HEADER_OVERFLOW', 'CHUNK_EXTENSIONS_OVERFLOW'].map((c) => `HPE_${c}`);

describe('every error ws or Node\'s HTTP parser can raise is told as what happened, never as the backend hanging up', () => {
  const codes = wsErrorCodes();

  it('ws raises the frame checks this table was written for', () => {
    expect(codes).toEqual(expect.arrayContaining(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'WS_ERR_INVALID_OPCODE', 'WS_ERR_INVALID_UTF8']));
  });

  it.each(codes)('%s: the backend broke the rules, and the console closed the connection', (code) => {
    const c = causeOfSocketError(err('Invalid WebSocket frame: something', code), 'ws://10.0.0.5:9100');
    const size = code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH';
    expect(c.kind).toBe(size ? 'too-large' : 'bad-frames');
    expect(c.text).toMatch(/^The backend sent a message .*, so the console closed the connection\.$/);
    expect(c.next).toMatch(/fault in the backend/);
    expect(c.detail).toContain(code);
  });

  it('a message over the limit says the limit and whose fault it is', () => {
    const c = causeOfSocketError(err('Max payload size exceeded', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
    expect(c.text).toBe('The backend sent a message larger than the protocol allows (64 KB), so the console closed the connection.');
    expect(c.nextHere).toMatch(/^Nothing here needs changing\. This is a fault in the backend/);
  });

  it.each(HPE)('%s: something answered that is not the gym backend', (code) => {
    const c = causeOfSocketError(err('Parse Error: Expected HTTP/', code), 'ws://10.0.0.5:9100');
    expect(c.kind).toBe('not-backend');
    expect(c.detail).toContain(code);
  });

  it.each([
    'Invalid Upgrade header',
    'Invalid Sec-WebSocket-Accept header',
    'Invalid Sec-WebSocket-Extensions header',
    'Server sent a subprotocol but none was requested',
    'Server sent an invalid subprotocol',
    'Server sent no subprotocol',
    'Server indicated an extension that was not requested',
    'Maximum redirects exceeded',
  ])('"%s" (a greeting answered, but not as the backend answers it) is not-backend', (message) => {
    expect(causeOfSocketError(err(message)).kind).toBe('not-backend');
  });
});

describe('an HTTP answer instead of the WebSocket upgrade says what answered', () => {
  const url = 'ws://gym.example.com:9100';
  const words = (c: ReturnType<typeof cause>): string => `${c.text} ${c.next} ${c.nextHere}`;

  it.each([
    [502, 'does not (HTTP 502 Bad Gateway)'],
    [503, 'is not available (HTTP 503 Service Unavailable)'],
    [504, 'did not answer in time (HTTP 504 Gateway Timeout)'],
  ])('%s: a proxy answers, the backend behind it does not; the address is not blamed', (status, says) => {
    const c = causeOfHttpAnswer({ status }, url);
    expect(c.kind).toBe('gateway');
    expect(c.text).toBe(`A proxy or gateway answers at the backend's address, but the gym backend behind it ${says}.`);
    expect(c.next).toMatch(/probably right: check that the gym backend behind it is running/);
    expect(words(c)).not.toMatch(/not the gym backend|Check the address and port/);
    expect(c.detail).toBe(`Unexpected server response: ${status}`);
    // Reached through ws's own error too (a socket with no listener for the answer).
    expect(causeOfSocketError(err(`Unexpected server response: ${status}`), url).text).toBe(c.text);
  });

  it('503 says when it asks to be tried again, in seconds or as a date, and nothing when that is not sensible', () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    expect(causeOfHttpAnswer({ status: 503, retryAfter: '120' }, url, now).text).toMatch(/\(HTTP 503 Service Unavailable\)\. It says to try again in 2 minutes\.$/);
    expect(causeOfHttpAnswer({ status: 503, retryAfter: 'Tue, 01 Jan 2030 12:00:30 GMT' }, url, now).text).toMatch(/try again in 30 seconds\.$/);
    for (const v of ['0', '-5', 'soon', '999999999', 'Mon, 01 Jan 2029 12:00:00 GMT', '1'.repeat(50)]) {
      expect(causeOfHttpAnswer({ status: 503, retryAfter: v }, url, now).text).toMatch(/\(HTTP 503 Service Unavailable\)\.$/);
    }
    expect(retryAfterWords('1', now)).toBe('in 1 second');
    expect(retryAfterWords('7200', now)).toBe('in 2 hours');
    // A 502 is not asked when to come back.
    expect(causeOfHttpAnswer({ status: 502, retryAfter: '120' }, url, now).text).not.toMatch(/try again/);
  });

  it.each([301, 302, 307, 308])('%s to https: names where, and says to use wss://', (status) => {
    const c = causeOfHttpAnswer({ status, location: 'https://gym.example.com/' }, url);
    expect(c.kind).toBe('not-backend');
    expect(c.text).toMatch(new RegExp(`^The backend's address redirects to wss://gym\\.example\\.com \\(HTTP ${status} `));
    expect(c.next).toMatch(/secure connection\. If that is the gym backend, a manager can change the address to wss:\/\/gym\.example\.com under Backend connection/);
    expect(c.nextHere).toMatch(/use wss:\/\/gym\.example\.com as the address above/);
    expect(c.detail).toBe(`Unexpected server response: ${status} (Location: https://gym.example.com/)`);
  });

  it('a redirect target is cleaned and bounded: no credentials, query or controls, a relative one resolved', () => {
    expect(redirectTarget('https://admin:secret@gym.example.com:8443/ws?token=abc#x', url)).toEqual({ address: 'wss://gym.example.com:8443/ws', secure: true });
    expect(redirectTarget('/backend', url)).toEqual({ address: 'ws://gym.example.com:9100/backend', secure: false });
    expect(redirectTarget('javascript:alert(1)', url)).toBeNull();
    expect(redirectTarget('https://\u202Eevil\n.example/', url)).toBeNull();
    expect(redirectTarget(`https://gym.example.com/${'a'.repeat(5000)}`, url)!.address.length).toBeLessThanOrEqual(120);
    const c = causeOfHttpAnswer({ status: 302, location: 'ftp://files.example.com/' }, url);
    expect(c.text).toBe("The backend's address sends the console elsewhere (HTTP 302 Found), so the gym backend does not answer at this address itself.");
    const noisy = causeOfHttpAnswer({ status: 301, location: `https://x.example/\r\n${'b'.repeat(5000)}` }, url);
    expect(noisy.detail.length).toBeLessThan(400);
    expect(noisy.detail).not.toMatch(/[\r\n]/);
  });

  it.each([
    [401, 'HTTP 401 Unauthorized'],
    [403, 'HTTP 403 Forbidden'],
  ])('%s: the address refuses (a proxy login or access rule), not the backend token', (status, name) => {
    const c = causeOfHttpAnswer({ status }, url);
    expect(c.kind).toBe('turned-away');
    expect(c.text).toBe(`Something at the backend's address refuses the console (${name}): a proxy's login or an access rule in front of the backend, not the backend token.`);
    expect(c.nextHere).toMatch(/^The backend token is not the problem/);
  });

  it('404: nothing at that path', () => {
    const c = causeOfHttpAnswer({ status: 404 }, 'wss://gym.example:8443/ws');
    expect(c.kind).toBe('not-backend');
    expect(c.text).toMatch(/^Nothing answers at this path of the backend's address \(HTTP 404 Not Found\)/);
    expect(c.nextHere).toMatch(/path after the port/);
  });

  it('404 at an address with no path: not the gym backend, check the port (readme23 R6: the console\'s own screen address given as the backend)', () => {
    for (const at of ['ws://127.0.0.1:18700', 'ws://127.0.0.1:18700/']) {
      const c = causeOfHttpAnswer({ status: 404 }, at);
      expect(c.kind).toBe('not-backend');
      expect(c.text).toBe("A web server answers at this address, but it is not the gym backend (HTTP 404 Not Found): the port may be another program's.");
      expect(c.nextHere).toBe("Check the port above: it is the gym backend's, not the address this console's own screens open at (the console ready: line).");
      expect(`${c.text} ${c.next} ${c.nextHere}`).not.toMatch(/path/);
    }
  });

  it.each([200, 400, 418, 500])('%s: the usual words, with the status', (status) => {
    const c = causeOfHttpAnswer({ status }, url);
    expect(c.kind).toBe('not-backend');
    expect(c.text).toMatch(new RegExp(`^Something answered at the backend's address, but it is not the gym backend \\(it answered HTTP ${status}\\b`));
    expect(c.next).toBe('Check the address and port under Backend connection.');
  });
});

// Each certificate problem has its own fix: a CA file mends an unknown issuer, never an expired certificate or another name.
describe('certificate problems, by code', () => {
  const err = (message: string, code: string, more: object = {}) => Object.assign(new Error(message), { code }, more);

  it('an expired certificate: its date when known, and renewing it, not the CA file', () => {
    const c = causeOfSocketError(err('certificate has expired', 'CERT_HAS_EXPIRED', { cert: { valid_to: 'Feb  1 00:00:00 2024 GMT' } }), 'wss://127.0.0.1:9443');
    expect(c).toMatchObject({ kind: 'tls', text: "The secure connection failed: the backend's certificate expired on 1 Feb 2024." });
    expect(c.next).toMatch(/administrator must renew it; a CA file cannot help/);
    expect(c.nextHere).toBe(c.next);
    expect(`${c.text} ${c.next}`).not.toMatch(/set the pool's CA file/);
    const noDate = causeOfSocketError(err('certificate has expired', 'CERT_HAS_EXPIRED'), 'wss://127.0.0.1:9443');
    expect(noDate.text).toBe("The secure connection failed: the backend's certificate expired.");
    const early = causeOfSocketError(err('certificate is not yet valid', 'CERT_NOT_YET_VALID'), 'wss://127.0.0.1:9443');
    expect(early.text).toBe("The secure connection failed: the backend's certificate is not valid yet.");
    expect(early.next).toMatch(/check this PC's date and time/);
  });

  it('a certificate for another name: which name, and to use it in the address', () => {
    const e = err("Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ", 'ERR_TLS_CERT_ALTNAME_INVALID', {
      host: '127.0.0.1',
      cert: { subject: { CN: 'backend.gym.local' }, subjectaltname: 'DNS:backend.gym.local' },
    });
    const c = causeOfSocketError(e, 'wss://127.0.0.1:9443');
    expect(c).toMatchObject({ kind: 'tls', text: "The secure connection failed: the backend's certificate is for backend.gym.local, not 127.0.0.1." });
    expect(c.nextHere).toMatch(/^Use that name in the address above/);
    expect(c.next).toMatch(/use that name in the address under Backend connection/);
    // Without the certificate attached, the address still names what was asked.
    const bare = causeOfSocketError(err('altnames', 'ERR_TLS_CERT_ALTNAME_INVALID'), 'wss://gym.example:9443');
    expect(bare.text).toBe("The secure connection failed: the backend's certificate is for another name, not gym.example.");
  });

  it('an unknown issuer keeps the CA file as the fix', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      const c = causeOfSocketError(err('self-signed certificate', code), 'wss://127.0.0.1:9443');
      expect(c.text).toMatch(/not trusted/);
      expect(c.next).toMatch(/set the pool's CA file/);
      expect(c.nextHere).toMatch(/set the pool's CA file/);
    }
  });
});

// review21 K5: a backend's own words inside the console's quotes kept characters nobody sees, and a ” in them ended the
// quote, so what followed read as the console's own sentence.
describe("a backend's own words on the screens", () => {
  it('are one line, every unseen character shown, and cannot close the quote they sit in', () => {
    const hostile = 'Your\u00ad lic\u{E0041}ense expired” Restart this PC now “ok';
    for (const c of [causeOfOwnRefusal('lic\u202eense', hostile), causeOfClose(4003, hostile)]) {
      const inside = /“(.*)”/u.exec(c.text)![1]!;
      expect(inside).not.toMatch(/[“”]/u);
      expect(c.text).not.toMatch(UNSEEN_CHAR);
      expect(inside).toContain('Restart this PC now');
    }
  });
});
