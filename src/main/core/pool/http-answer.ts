import { backendText } from '../../../shared/backend-text';

/**
 * An HTTP answer to the console's WebSocket greeting (no upgrade), read for IT: what its status says, where
 * a redirect points and when a 503 asks to be tried again. Headers come from whatever answers at the
 * address, so each is bounded and cleaned before any of it is shown.
 */
export interface HttpAnswer {
  status: number;
  /** The raw `Location` header, if any. */
  location?: string;
  /** The raw `Retry-After` header, if any. */
  retryAfter?: string;
}

/** Status names from this table, never the answer's own reason phrase: that text is anyone's. */
const STATUS_NAMES: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** "HTTP 502 Bad Gateway", or "HTTP 599" for a status without a name here. */
export const httpStatus = (status: number): string => `HTTP ${status}${STATUS_NAMES[status] ? ` ${STATUS_NAMES[status]}` : ''}`;

/** The longest redirect target shown: enough for a host and a short path, never a wall of text. */
const SHOWN_MAX = 120;
/** Read at most this much of a header: anything longer is not an address anyone meant. */
const HEADER_MAX = 2_000;

/**
 * Where a redirect points, as the address the console would use there (ws:// or wss://): the Location
 * resolved against the console's own address, with only the parts an address needs. Credentials, query
 * and fragment are dropped (they may hold secrets); the URL parser gives the host in its ASCII form.
 * Null when it is not a web address at all.
 */
export function redirectTarget(location: string | undefined, from: string): { address: string; secure: boolean } | null {
  if (!location) return null;
  let to: URL;
  try {
    to = new URL(location.slice(0, HEADER_MAX).trim(), from.replace(/^ws/i, 'http'));
  } catch {
    return null;
  }
  const scheme = { 'http:': 'ws', 'https:': 'wss', 'ws:': 'ws', 'wss:': 'wss' }[to.protocol];
  if (!scheme || !to.host) return null;
  const path = to.pathname === '/' ? '' : to.pathname;
  return { address: backendText(`${scheme}://${to.host}${path}`, SHOWN_MAX), secure: scheme === 'wss' };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
/** Past this, a Retry-After is not a wait anyone should be told about (a misconfigured proxy). */
const RETRY_AFTER_MAX_S = 2 * 24 * HOUR;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * "in 2 minutes", from a Retry-After in seconds or as an HTTP date (`nowMs` the console's clock); null
 * when it is missing, unreadable, already past or implausibly far off.
 */
export function retryAfterWords(value: string | undefined, nowMs: number): string | null {
  if (!value) return null;
  const v = value.slice(0, 100).trim();
  let s: number;
  if (/^\d{1,9}$/.test(v)) s = Number(v);
  else {
    const at = Date.parse(v);
    if (!Number.isFinite(at) || !/[a-z]/i.test(v)) return null;
    s = Math.round((at - nowMs) / 1000);
  }
  if (s <= 0 || s > RETRY_AFTER_MAX_S) return null;
  if (s < MINUTE) return `in ${plural(s, 'second')}`;
  if (s < HOUR) return `in ${plural(Math.ceil(s / MINUTE), 'minute')}`;
  return `in ${plural(Math.ceil(s / HOUR), 'hour')}`;
}

/** What IT reads in the log and the tooltip: the status, and the headers that were read, cleaned. */
export function httpDetail(a: HttpAnswer): string {
  const headers = [a.location !== undefined && `Location: ${backendText(a.location.slice(0, HEADER_MAX), 300)}`, a.retryAfter !== undefined && `Retry-After: ${backendText(a.retryAfter, 100)}`].filter(Boolean);
  return `Unexpected server response: ${a.status}${headers.length ? ` (${headers.join(', ')})` : ''}`;
}
