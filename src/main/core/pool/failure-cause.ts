import { CAUSE_KINDS, type CauseKind, type FailureCause } from '../../../shared/pools';
import { LIMITS } from '../../../shared/protocol';
import { httpDetail, httpStatus, redirectTarget, retryAfterWords, type HttpAnswer } from './http-answer';
import { backendId, backendRefusal } from '../../../shared/backend-text';

/** A fault the console can see but not mend: the backend's to fix, and it comes back until it is. */
const REPORT_IT = 'This is a fault in the backend (or in something between, such as a proxy): report it to whoever runs the backend. The console tries again by itself, but this keeps happening until the backend is fixed.';

/** A certificate signed by an authority this PC does not know, as certificateWords says it. */
const UNTRUSTED = 'is not trusted (it is signed by an authority this PC does not know)';

/** Each cause in a gym's staff's words, with what to do next: elsewhere, and on the Backend connection screen itself. */
const WORDS: Record<CauseKind, Omit<FailureCause, 'kind' | 'detail'>> = {
  'no-token': {
    text: 'No backend token is saved on this PC, so the backend cannot let the console in.',
    next: 'A manager can enter it under Backend connection (Connection Pools tab).',
    nextHere: 'Type the backend token in Backend token above, then Test connection or Save and reconnect.',
  },
  unauthorized: {
    text: "The backend refused the console's token.",
    next: 'A manager can enter the right one under Backend connection (Connection Pools tab).',
    nextHere: 'Type the right token in Backend token above, then Test connection again or Save and reconnect.',
  },
  'unsupported-version': {
    text: 'The backend speaks a newer or older protocol than this console.',
    next: "Ask the gym's IT to update the console or the backend so they match.",
    nextHere: "Ask the gym's IT to update the console or the backend so they match.",
  },
  'ca-file': {
    text: "This pool's CA file cannot be read.",
    next: "A manager can correct the CA file in the pool's settings (Connection Pools tab), or put the file back; the console tries again by itself.",
    nextHere: "Correct the CA file in the pool's settings, or put the file back; the console tries again by itself.",
  },
  // Never contacted: an address saved before the console refused such addresses (causeOfUnopenable says which).
  'bad-address': {
    text: 'This backend address cannot be opened as it is written.',
    next: 'A manager corrects the address under Connection Pools.',
    nextHere: 'Correct the address under Connection Pools.',
  },
  'not-tls': {
    text: 'The backend at this address does not use a secure connection: the address probably should start with ws:// instead of wss://.',
    next: 'A manager can change wss:// to ws:// at the start of the address under Backend connection (Connection Pools tab).',
    nextHere: 'Change wss:// to ws:// at the start of the address above, then Test connection again.',
  },
  'this-pc': {
    text: 'This PC ran out of network connections or open files, so the console could not connect (the backend itself may be fine).',
    next: "Restart the console; if it happens again, tell the gym's IT: another program on this PC may be using them up.",
    nextHere: "Restart the console and test again; if it happens again, tell the gym's IT: another program on this PC may be using them up.",
  },
  // Expired and wrong-name certificates have their own words (causeOfCertificate): this is what is left, an unknown issuer.
  tls: {
    text: `The secure connection failed: the backend's certificate ${UNTRUSTED}.`,
    next: "Ask the gym's IT to set the pool's CA file (the gym's own certificate authority) in the pool's settings (Connection Pools tab), or to check the certificate.",
    nextHere: "Ask the gym's IT to set the pool's CA file (the gym's own certificate authority), or to check the certificate.",
  },
  'turned-away': {
    text: "Something at the backend's address refuses the console: a proxy's login or an access rule in front of the backend, not the backend token.",
    next: "The backend token is not the problem: ask the gym's IT to let this PC through the proxy or access rule, or check the address under Backend connection (Connection Pools tab).",
    nextHere: "The backend token is not the problem: ask the gym's IT to let this PC through the proxy or access rule, or check the address above.",
  },
  'not-backend': {
    text: "Something answered at the backend's address, but it is not the gym backend.",
    next: 'Check the address and port under Backend connection.',
    nextHere: 'Check the address and port above: they must be the gym backend\'s.',
  },
  'breaks-protocol': {
    text: 'The backend answers, but sends messages the console cannot accept, so the console stopped using it for a while.',
    next: "Check that the backend's version matches this console's; it may not be the gym backend at all. The console's log has the details.",
    nextHere: "Check that the backend's version matches this console's; it may not be the gym backend at all. The console's log has the details.",
  },
  'too-large': {
    text: `The backend sent a message larger than the protocol allows (${LIMITS.maxFrameBytes / 1024} KB), so the console closed the connection.`,
    next: REPORT_IT,
    nextHere: `Nothing here needs changing. ${REPORT_IT}`,
  },
  'bad-frames': {
    text: 'The backend sent a message that breaks the rules of the connection (it is garbled), so the console closed the connection.',
    next: REPORT_IT,
    nextHere: `Nothing here needs changing. ${REPORT_IT}`,
  },
  // One fact, wherever it is seen (no welcome, no WebSocket upgrade, silence while connecting, Test connection's limit): see causeOfNoAnswer.
  'no-welcome': {
    text: "The console reached the backend's address, but the backend did not answer it.",
    next: "Check that the address and port under Backend connection are the gym backend's, not another program's on that port; if they are, the backend may be stuck or overloaded: restart it, or ask the gym's IT.",
    nextHere: "Check that the address and port above are the gym backend's, not another program's on that port; if they are, the backend may be stuck or overloaded: restart it and test again, or ask the gym's IT.",
  },
  // Its WebSocket answers pings, its program nothing (a server stuck in its own code): see causeOfAppSilence.
  'app-silent': {
    text: "The backend takes the console's connection, but the backend program itself does not answer: it may be stuck.",
    next: "Ask the gym's IT to restart the backend. Nothing is lost: the console keeps each check-in and sends it when the backend answers again.",
    nextHere: "The address and token are fine: the backend takes the connection, but its program does not answer. Ask the gym's IT to restart the backend, then test again.",
  },
  'storage-unavailable': {
    text: "The backend is running, but it cannot reach its database (Redis), so it cannot record check-ins right now.",
    next: "Nothing is lost: the console keeps each check-in and sends it again when the database is back. Ask the gym's IT to check the backend's Redis.",
    nextHere: "The address and token are fine: the backend's own database is down. Ask the gym's IT to check the backend's Redis; nothing needs changing here.",
  },
  gateway: {
    text: "A proxy or gateway answers at the backend's address, but the gym backend behind it does not.",
    next: "The address reaches the proxy, so it is probably right: check that the gym backend behind it is running, or ask the gym's IT. The console keeps retrying.",
    nextHere: "The address reaches the proxy, so it is probably right: check that the gym backend behind it is running, or ask the gym's IT.",
  },
  refused: {
    text: "Nothing is listening at the backend's address: the backend is not running there, or the port is wrong.",
    next: "Check that the backend is started and the port is right; the console keeps retrying.",
    nextHere: 'Check that the backend is started there and the port in the address above is right.',
  },
  unreachable: {
    text: "The console cannot reach the backend's address.",
    next: "Check the network cable or Wi-Fi and the address; if others can reach it, ask the gym's IT.",
    nextHere: "Check the address above, and this PC's network cable or Wi-Fi; if others can reach it, ask the gym's IT.",
  },
  'hung-up': {
    text: 'Something at the backend\'s address closed the connection before answering.',
    next: "If the gym's backend uses a secure connection, the address should start with wss:// instead of ws:// (under Backend connection, Connection Pools tab); otherwise ask the gym's IT to check the backend.",
    nextHere: "If the gym's backend uses a secure connection, change ws:// to wss:// at the start of the address above; otherwise ask the gym's IT to check the backend.",
  },
  'closed-by-backend': {
    text: 'The backend closed the connection.',
    next: "The console reconnects by itself; if this keeps happening, ask the gym's IT to check the backend.",
    nextHere: "Test again; if this keeps happening, ask the gym's IT to check the backend.",
  },
};

export const cause = (kind: CauseKind, detail: string): FailureCause => ({ kind, ...WORDS[kind], detail });

/**
 * A bad frame, by what it claimed to be, for a screen: "an event message of 144 bytes that the console could not
 * read". `why`: our own words for what was wrong, said too; a schema's wording is the log's, never a screen's (probe23 P4).
 */
export function faultyMessageWords(frameType: string, bytes: number, why?: string): string {
  const size = bytes ? ` of ${bytes} bytes` : '';
  // Our own words for what was wrong ("a second welcome on one socket"): said, as they help IT.
  if (why) return `${frameType === 'object' || frameType === 'not JSON' ? 'a' : /^[aeiou]/i.test(frameType) ? 'an' : 'a'} ${frameType === 'object' ? '' : `${frameType} `}message${size} (${why})`;
  if (frameType === 'not JSON') return `a message${size} that is not JSON`;
  if (frameType === 'object') return `a message${size} of no known type, which the console could not read`;
  return `${/^[aeiou]/i.test(frameType) ? 'an' : 'a'} ${frameType} message${size} that the console could not read`;
}

/**
 * No token to send. `unreadable`: why the saved backend-token file, which is there, holds none this console can use
 * (its reading's own words, naming the file): IT who finds the file must not be told none is saved.
 */
export const causeOfNoToken = (detail: string, unreadable: string | null): FailureCause =>
  unreadable
    ? { ...cause('no-token', detail), text: `The backend token saved on this PC could not be read (${unreadable}), so the backend cannot let the console in.`, next: 'A manager can enter the token again under Backend connection (Connection Pools tab); it replaces that file.' }
    : cause('no-token', detail);

/**
 * The backend answered the console's greeting with a refusal of its own (a code this console does not know, or one not
 * meant for a greeting): its reason is what IT needs, and restarting the backend would not help (probe-hostile21 J11).
 */
export const causeOfOwnRefusal = (code: string, message: string): FailureCause => ({
  ...cause('breaks-protocol', `refused the greeting: ${code}: ${message}`),
  text: `The backend answered the console's greeting with a refusal of its own: “${quoted(message)}” (its code ${backendId(code)}).`,
  next: 'Tell whoever runs the backend what it says; the console tries again by itself.',
  nextHere: 'Tell whoever runs the backend what it says; the console tries again by itself.',
});

/** The greeting answered with a message that breaks the protocol (a welcome the console cannot read, a binary frame). */
export const causeOfBadGreeting = (problem: string): FailureCause => ({
  ...cause('breaks-protocol', problem),
  text: "The backend answered the console's greeting, but with a message this console cannot read, so it cannot connect.",
});

/** An address no socket can be opened to as it is written (one saved before the console refused such addresses). */
export const causeOfUnopenable = (message: string): FailureCause => ({
  ...cause('bad-address', message),
  text: `This backend address cannot be opened as it is written (${message}).`,
});

/** A pool's CA file gone or spoiled since it was saved: the reading's own words name the file and what is wrong. */
export const causeOfCaFile = (message: string): FailureCause => ({ ...cause('ca-file', message), text: message });

/** This process or PC out of what a connection needs: no fault of the other end's. */
const THIS_PC = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL']);
/** The address's name is known to no name server: a typo, or this PC's network gives it no answers. */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const UNREACHABLE = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const TLS_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'CERT_', 'UNABLE_TO_', 'DEPTH_ZERO_', 'SELF_SIGNED_', 'ERR_OSSL_'];

/** What a Node network error code says went wrong, for any connection this console makes (backend, webhooks). */
export type NetTrouble = 'refused' | 'this-pc' | 'no-such-name' | 'unreachable' | 'cut' | 'tls';
export function netTrouble(code: string): NetTrouble | null {
  if (code === 'ECONNREFUSED') return 'refused';
  if (THIS_PC.has(code)) return 'this-pc';
  if (NO_SUCH_NAME.has(code)) return 'no-such-name';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'cut';
  if (code === 'EPROTO' || TLS_PREFIXES.some((p) => code.startsWith(p))) return 'tls';
  return null;
}
/**
 * ws's own checks of what the backend sends, by its error codes (`WS_ERR_*`, in ws's receiver): each
 * closes the socket from this side (1009 for size, 1002 or 1007 otherwise). Every code is named, so a new
 * one in a later ws fails the test that walks them rather than passing for the backend hanging up.
 */
const WS_CODES: Record<string, 'too-large' | 'bad-frames'> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'too-large',
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 'too-large',
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 'bad-frames',
  WS_ERR_INVALID_OPCODE: 'bad-frames',
  WS_ERR_EXPECTED_FIN: 'bad-frames',
  WS_ERR_EXPECTED_MASK: 'bad-frames',
  WS_ERR_UNEXPECTED_MASK: 'bad-frames',
  WS_ERR_UNEXPECTED_RSV_1: 'bad-frames',
  WS_ERR_UNEXPECTED_RSV_2_3: 'bad-frames',
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 'bad-frames',
  WS_ERR_INVALID_CLOSE_CODE: 'bad-frames',
  WS_ERR_INVALID_UTF8: 'bad-frames',
};
/** A `WS_ERR_*` ws may add later is still one of its frame checks: garbled, never a hang-up. */
export const wsTrouble = (code: string): 'too-large' | 'bad-frames' | null => WS_CODES[code] ?? (code.startsWith('WS_ERR_') ? 'bad-frames' : null);
/** ws's words when the answer to the greeting is HTTP but no WebSocket upgrade the console asked for. */
const HANDSHAKE_REFUSED = [
  /^Unexpected server response: \d+$/,
  /^Invalid (Upgrade|Sec-WebSocket-Accept|Sec-WebSocket-Extensions) header$/,
  /^Server sent (a subprotocol but none was requested|an invalid subprotocol|no subprotocol)$/,
  /^Server indicated an extension that was not requested$/,
  /^Maximum redirects exceeded$/,
];

/** OpenSSL's words when the first bytes back are not TLS at all: a plain ws:// backend asked for wss://. */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;

/** A TLS error whose first bytes back were not TLS: the other end speaks plain (ws://, http://), not secure. */
export const notTls = (e: Error & { code?: string }): boolean => NOT_TLS.test(e.message) || e.code === 'ERR_SSL_WRONG_VERSION_NUMBER';

/**
 * A `ws` client error, from a failed connect or a lost socket. `url` is the address it was for: a
 * hang-up before any answer on a ws:// address is what a wss://-only backend does to a plain greeting.
 */
export function causeOfSocketError(e: Error & { code?: string }, url = ''): FailureCause {
  const code = e.code ?? '';
  const detail = code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  const trouble = netTrouble(code);
  if (trouble === 'refused' || trouble === 'this-pc') return cause(trouble, detail);
  if (trouble === 'no-such-name') return causeOfNoSuchName(code, detail, hostOf(url) || (e as { hostname?: string }).hostname || '');
  if (trouble === 'unreachable') return cause('unreachable', detail);
  const tls = trouble === 'tls';
  if (tls && notTls(e)) return cause('not-tls', detail);
  if (tls) return causeOfCertificate(e, detail, url);
  if (e.message === 'socket hang up' && /^ws:\/\//i.test(url)) return cause('hung-up', detail);
  const ws = wsTrouble(code);
  if (ws) return cause(ws, detail);
  // Node's HTTP parser could not read the answer to the greeting: SSH, Redis, a mail server… anything but HTTP.
  if (code.startsWith('HPE_')) return cause('not-backend', detail);
  // ws has no code for these; its messages are fixed in its source. An HTTP status says more than "not the backend".
  const status = /^Unexpected server response: (\d{3})$/.exec(e.message)?.[1];
  if (status) return causeOfHttpAnswer({ status: Number(status) }, url);
  if (HANDSHAKE_REFUSED.some((r) => r.test(e.message))) return cause('not-backend', detail);
  if (/handshake has timed out/i.test(e.message)) return cause('unreachable', detail);
  return cause('closed-by-backend', detail);
}

/**
 * The address's name found no computer (ENOTFOUND) or no name server answered (EAI_AGAIN): a mistyped name is the
 * likelier story, and "check the cable or Wi-Fi" sent IT to the wrong end. Still 'unreachable' to the screens.
 */
function causeOfNoSuchName(code: string, detail: string, host: string): FailureCause {
  const name = host ? `the name ${host}` : "the name in the backend's address";
  const text =
    code === 'EAI_AGAIN'
      ? `This PC could not look up ${name}: no name server answered. The name may be misspelt, or this PC's network may be down.`
      : `No computer called ${host || "by the name in the backend's address"} was found: the name may be misspelt.`;
  const network = code === 'EAI_AGAIN' ? "check this PC's network cable or Wi-Fi" : "ask the gym's IT to check this PC's network (its name server)";
  return {
    ...cause('unreachable', detail),
    text,
    next: `Check the spelling of ${name} under Backend connection (Connection Pools tab), or use the backend's IP address instead; if the name is right, ${network}.`,
    nextHere: `Check the spelling of ${name} in the address above, or use the backend's IP address instead; if the name is right, ${network}.`,
  };
}

/** OpenSSL's codes for a certificate used outside its dates: a CA file cannot help, only a renewed certificate. */
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_HAS_EXPIRED']);
const NOT_YET = new Set(['CERT_NOT_YET_VALID']);

/** What Node attaches to ERR_TLS_CERT_ALTNAME_INVALID: the name asked, and the certificate that came back. */
export type CertError = Error & { code?: string; host?: string; cert?: { subject?: { CN?: string }; subjectaltname?: string; valid_to?: string; valid_from?: string } };

/** A date as on a notice, "1 Feb 2024", read the same on any PC (UTC, English month). */
export function dayWords(when: string | number | undefined): string | null {
  const ms = typeof when === 'number' ? when : when ? Date.parse(when) : NaN;
  if (!Number.isFinite(ms)) return null;
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The names a certificate is for: its DNS and IP alternative names, else its common name. */
function certNames(cert: CertError['cert']): string[] {
  const alt = (cert?.subjectaltname ?? '').split(',').map((n) => n.trim().replace(/^(DNS|IP Address):/, '')).filter(Boolean);
  return alt.length ? alt : cert?.subject?.CN ? [cert.subject.CN] : [];
}

/** What is wrong with a certificate, by OpenSSL's code: each has its own fix. What is not dates or name is an unknown issuer. */
export type CertTrouble = 'expired' | 'not-yet-valid' | 'wrong-name' | 'untrusted';
export function certTrouble(code: string): CertTrouble {
  if (EXPIRED.has(code)) return 'expired';
  if (NOT_YET.has(code)) return 'not-yet-valid';
  return code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'wrong-name' : 'untrusted';
}

/**
 * A certificate's fault in words, the one sentence for it wherever a certificate is met (the backend's, a webhook
 * receiver's); `whose` names it ("the backend's"), `asked` the name asked for. Lower case, no full stop: each
 * place adds its own fix.
 */
export function certificateWords(e: CertError, whose: string, asked = ''): string {
  const trouble = certTrouble(e.code ?? '');
  const day = dayWords(trouble === 'expired' ? e.cert?.valid_to : e.cert?.valid_from);
  const names = certNames(e.cert);
  const host = e.host ?? asked;
  const what = {
    expired: `expired${day ? ` on ${day}` : ''}`,
    'not-yet-valid': `is not valid yet${day ? ` (it starts on ${day})` : ''}`,
    'wrong-name': `${names.length ? `is for ${names.join(', ')}` : 'is for another name'}${host ? `, not ${host}` : ''}`,
    untrusted: UNTRUSTED,
  }[trouble];
  return `the secure connection failed: ${whose} certificate ${what}`;
}

/** "the secure connection failed: …" as a sentence of its own. */
const sentence = (words: string): string => `${words[0]!.toUpperCase()}${words.slice(1)}.`;

/**
 * A certificate problem, by OpenSSL's code: each has its own fix. An expired certificate or one for another
 * name is not mended by a CA file, and saying "set the CA file" sent IT the wrong way.
 */
export function causeOfCertificate(e: CertError, detail: string, url = ''): FailureCause {
  const trouble = certTrouble(e.code ?? '');
  const base = { ...cause('tls', detail), text: sentence(certificateWords(e, "the backend's", hostOf(url))) };
  if (trouble === 'expired' || trouble === 'not-yet-valid') {
    const expired = trouble === 'expired';
    const clock = expired ? '' : " If it should be valid, check this PC's date and time.";
    const fix = `The backend's administrator must ${expired ? 'renew it' : 'check its dates'}; a CA file cannot help.${clock}`;
    return { ...base, next: fix, nextHere: fix };
  }
  if (trouble === 'wrong-name') {
    const names = certNames(e.cert);
    const use = names.length ? `use ${names.length === 1 ? 'that name' : 'one of those names'} in the address` : 'use the name on the certificate in the address';
    return {
      ...base,
      next: `A manager can ${use} under Backend connection (Connection Pools tab), or ask the gym's IT for a certificate for this address.`,
      nextHere: `${use[0]!.toUpperCase()}${use.slice(1)} above, or ask the gym's IT for a certificate for this address.`,
    };
  }
  return base;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
};

/** The gateway errors a proxy gives when what is behind it is down or slow: the address itself is right. */
const GATEWAY: Record<number, string> = { 502: 'does not', 503: 'is not available', 504: 'did not answer in time' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * An HTTP answer instead of the WebSocket upgrade, in words that say what answered: a proxy whose backend
 * is down, a redirect (to where), a login or access rule, no such path, or something else entirely.
 * `url` is the address asked; `nowMs` reads a Retry-After given as a date.
 */
export function causeOfHttpAnswer(a: HttpAnswer, url: string, nowMs = Date.now()): FailureCause {
  const detail = httpDetail(a);
  const status = httpStatus(a.status);
  const base = (kind: CauseKind, text: string): FailureCause => ({ ...cause(kind, detail), text });
  if (GATEWAY[a.status]) {
    const when = a.status === 503 ? retryAfterWords(a.retryAfter, nowMs) : null;
    return base('gateway', `A proxy or gateway answers at the backend's address, but the gym backend behind it ${GATEWAY[a.status]} (${status}).${when ? ` It says to try again ${when}.` : ''}`);
  }
  if (a.status === 401 || a.status === 403) return base('turned-away', `Something at the backend's address refuses the console (${status}): a proxy's login or an access rule in front of the backend, not the backend token.`);
  if (a.status === 404 && !hasPath(url)) {
    // No path to get wrong: another program's port, such as this console's own screens' (readme23 R6).
    return {
      ...base('not-backend', `A web server answers at this address, but it is not the gym backend (${status}): the port may be another program's.`),
      next: "Check the port under Backend connection (Connection Pools tab): it is the gym backend's, not the address this console's own screens open at (the console ready: line).",
      nextHere: "Check the port above: it is the gym backend's, not the address this console's own screens open at (the console ready: line).",
    };
  }
  if (a.status === 404) {
    return {
      ...base('not-backend', `Nothing answers at this path of the backend's address (${status}): a web server is there, but the gym backend is not at that path.`),
      next: 'Check the address under Backend connection (Connection Pools tab), and the path after the port if it has one.',
      nextHere: 'Check the address above, and the path after the port if it has one.',
    };
  }
  if (REDIRECTS.has(a.status)) {
    const to = redirectTarget(a.location, url);
    if (!to) return base('not-backend', `The backend's address sends the console elsewhere (${status}), so the gym backend does not answer at this address itself.`);
    const secure = to.secure && !/^wss:/i.test(url) ? ' The site wants a secure connection.' : '';
    return {
      ...base('not-backend', `The backend's address redirects to ${to.address} (${status}), so the gym backend does not answer at this address itself.`),
      next: `${secure.trim()} If that is the gym backend, a manager can change the address to ${to.address} under Backend connection (Connection Pools tab).`.trim(),
      nextHere: `${secure.trim()} If that is the gym backend, use ${to.address} as the address above, then Test connection again.`.trim(),
    };
  }
  return base('not-backend', `Something answered at the backend's address, but it is not the gym backend (it answered ${status}).`);
}

/** Whether an address names a path after its port ("wss://host:8443/ws"): only then can the path be what is wrong. */
function hasPath(url: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, '') !== '';
  } catch {
    return true;
  }
}

/**
 * "3 seconds", "a second": a wait as IT reads it, not in ms. Whole seconds, rounded down: a deadline fires a
 * little after its time, and the words must not change from one try to the next (they are the alert's reason).
 */
function secondsWords(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s <= 1 ? 'a second' : `${s} seconds`;
}

/**
 * The address took the connection and then said nothing the console could use within `waitedMs`: reachable, so
 * not the network; the one sentence for it, from whichever deadline ran out first.
 */
export function causeOfNoAnswer(waitedMs: number, detail: string): FailureCause {
  return { ...cause('no-welcome', detail), text: `The console reached the backend's address, but the backend did not answer it within ${secondsWords(waitedMs)}.` };
}

/**
 * A backend's words inside the console's quotes: one line, nothing that cannot be seen (each such character shown as
 * U+FFFD), and no quote mark of ours, so its text cannot end the quote and read as the console's (review21 K5).
 */
const quoted = (s: string): string => backendId(backendRefusal(s).line).replace(/[“”]/g, '"');

/**
 * The backend closed the WebSocket, with its own reason when it gave one ("ip not allowed"): the reason is the one
 * thing IT needs, and was only in the detail the screens do not show (probe-hostile21 J14).
 */
export function causeOfClose(code: number, reason: string): FailureCause {
  const why = `closed (${code}${reason ? ` ${reason}` : ''})`;
  const said = reason ? quoted(reason) : '';
  return said ? { ...cause('closed-by-backend', why), text: `The backend closed the connection, saying “${said}”.` } : cause('closed-by-backend', why);
}

/** Test connection: the backend greeted the console, then left its ping unanswered for the whole try. */
export const causeOfNoPong = (ms: number): FailureCause => ({
  ...cause('app-silent', `welcome, then no pong within ${ms} ms`),
  text: `The backend answered the console's greeting, but not its ping within ${secondsWords(ms)}: it may be stuck or overloaded.`,
});

/** An open socket whose backend program sent nothing for `ms` while its WebSocket layer still answered pings. */
export const causeOfAppSilence = (ms: number): FailureCause => ({
  ...cause('app-silent', `no protocol frame for ${ms} ms; WebSocket pings still answered`),
  text: `The backend takes the console's connection, but the backend program itself answered nothing for more than ${secondsWords(ms)}: it may be stuck.`,
});

/** The ms of silence a program was judged by, from its cause's detail (causeOfAppSilence). */
const silenceMs = (silent: FailureCause): number => Number(/no protocol frame for (\d+) ms/.exec(silent.detail)?.[1] ?? 10_000);

/** host:port of an address, as IT typed it. */
export function addressWords(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Behind one address (a load balancer), the programs of `instances` found stuck while the others there answer: only
 * those need a restart, and check-ins are not waiting, they go through the others (review20 M3).
 */
export function causeOfSomeStuck(silent: FailureCause, url: string, instances: readonly string[]): FailureCause {
  const named = instances.map((i) => `"${i}"`).join(', ');
  const which = instances.length === 1 ? `Instance ${named}` : `Instances ${named}`;
  return {
    ...silent,
    text: `${which} behind ${addressWords(url)} ${instances.length === 1 ? 'takes' : 'take'} the console's connection but answered nothing for more than ${secondsWords(silenceMs(silent))}: ${instances.length === 1 ? 'it may be' : 'they may be'} stuck. Check-ins go through the others at that address.`,
    next: `Ask the gym's IT to restart ${instances.length === 1 ? 'instance' : 'instances'} ${named} only.`,
  };
}

/** A whole address's program found stuck, named by its address when there are several (review20 M4). */
export const causeOfStuckAt = (silent: FailureCause, url: string): FailureCause => ({
  ...silent,
  text: `At ${addressWords(url)}, ${silent.text[0]!.toLowerCase()}${silent.text.slice(1)}`,
});

/** No welcome within `ms` after the WebSocket opened. */
export const causeOfNoWelcome = (ms: number): FailureCause => causeOfNoAnswer(ms, `no welcome within ${ms} ms`);

/**
 * The WebSocket opened before the silence, so a wss:// address's certificate was accepted: a CA file tried on it
 * worked. A stall before that (TCP only, or Test connection's limit) says nothing of the certificate.
 */
export const pastSecureConnection = (c: FailureCause): boolean => c.kind !== 'no-welcome' || /^no welcome within |WebSocket open, no welcome\)$/.test(c.detail);

/**
 * A connect that never finished: when TCP got through, something answered there and then stalled (not the
 * gym backend, or stuck); only when it did not is the network to blame. `upgraded`: the WebSocket opened,
 * and only the welcome was missing.
 */
export function causeOfStalledConnect(failure: FailureCause, tcpConnected: boolean, waitedMs: number, upgraded = false): FailureCause {
  if (!tcpConnected || failure.kind !== 'unreachable') return failure;
  return causeOfNoAnswer(waitedMs, `${failure.detail} (TCP connected, ${upgraded ? 'WebSocket open, no welcome' : 'WebSocket handshake never completed'})`);
}

/** The backend's own `error` frame, when it ends the session. */
export function causeOfRefusal(code: string, message: string): FailureCause | null {
  if (code === 'unauthorized') return cause('unauthorized', message);
  if (code === 'unsupported-version') return cause('unsupported-version', message);
  return null;
}

/** How much a cause tells staff: a wrong token explains more than a closed socket. */
const RANK = new Map<CauseKind, number>(CAUSE_KINDS.map((k, i) => [k, i]));

/** The one cause to show when everything is down: the most telling; ties go to the first. */
export function summaryCause(causes: (FailureCause | null)[]): FailureCause | null {
  let best: FailureCause | null = null;
  for (const c of causes) if (c && (!best || RANK.get(c.kind)! < RANK.get(best.kind)!)) best = c;
  return best;
}

/**
 * The one cause to show for several addresses: as summaryCause, but when they fail for different reasons, each is said
 * at its address. "A web server answers at this address" read as the first address listed, whose fault was another
 * (nothing listening), so IT fixed the wrong one (readme24 R5).
 */
export function summaryCauseAt(endpoints: readonly { url: string; cause: FailureCause | null }[]): FailureCause | null {
  const best = summaryCause(endpoints.map((e) => e.cause));
  if (!best) return null;
  // Each address by its most telling cause (one address may be in two pools).
  const byUrl = new Map<string, FailureCause>();
  for (const e of endpoints) if (e.cause) byUrl.set(e.url, summaryCause([byUrl.get(e.url) ?? null, e.cause])!);
  if (new Set([...byUrl.values()].map((c) => c.kind)).size < 2) return best;
  // The most telling first, then the rest in the order given; each address's reason with what to do about it, side by
  // side (review24 V9): all reasons then all fixes read as a puzzle of which fix went with which address.
  const ordered = [...byUrl].sort(([, a], [, b]) => RANK.get(a.kind)! - RANK.get(b.kind)!);
  const each = (fix: (c: FailureCause) => string): string => {
    const at = new Map<string, string[]>();
    for (const [url, c] of ordered) at.set(`${c.text} ${fix(c)}`, [...(at.get(`${c.text} ${fix(c)}`) ?? []), addressWords(url)]);
    return [...at].map(([words, urls]) => `At ${urls.join(' and ')}: ${words}`).join(' ');
  };
  return { ...best, text: "The backend's addresses fail in different ways.", next: each((c) => c.next), nextHere: each((c) => c.nextHere) };
}
