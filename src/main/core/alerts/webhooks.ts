import { Webhook } from 'standardwebhooks';
import { repeatsOf, type AlertNotice, type WebhookEndpoint } from '../../../shared/health';
import { webhookAddressProblem } from '../../../shared/webhook-address';
import type { Clock } from '../clock';
import { readAtMost } from './reply-body';
import { certTrouble, certificateWords, netTrouble, notTls, type CertError, type CertTrouble, type NetTrouble } from '../pool/failure-cause';
import type { DueRow, WebhookStore } from './webhook-store';
import { webhookBody, type NoticeSource } from './notice-body';

/** Standard Webhooks' schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then a dead letter. */
export const RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** A Retry-After beyond this is taken as this. */
const MAX_RETRY_AFTER_MS = 86_400_000;
const BATCH = 50;
/** A change this large between the wall and the monotonic clock is the PC's clock being set, not drift. */
const CLOCK_SET_MS = 1_000;

export interface WebhookSenderDeps {
  store: WebhookStore;
  clock: Clock;
  endpoints: () => WebhookEndpoint[];
  /** The receiver answered 410 Gone: stop sending there. */
  disable: (url: string, why: string) => void;
  schedule?: number[];
  changed?: () => void;
  fetch?: typeof fetch;
  /** Which gym and PC sends the notices, read as each is queued (the gym's name may change). */
  source?: () => NoticeSource;
}

/** "Retry-After: 120" or an HTTP date, in ms from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.min(MAX_RETRY_AFTER_MS, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/**
 * Alert notices to webhooks, signed per Standard Webhooks and delivered from console.db: a notice is
 * committed before it is sent and marked on the receiver's 2xx, so it survives a restart and is sent
 * once (a crash between the 2xx and the mark resends the same webhook-id, which receivers drop). Each
 * attempt has its own timeout, so a hanging receiver delays only its own deliveries.
 */
export class WebhookSender {
  private readonly inFlight = new Set<string>();
  private timer: unknown = null;
  private stopped = false;
  private readonly schedule: number[];
  private readonly fetch: typeof fetch;
  /** Wall minus monotonic time when the saved retry times were last put in step with the PC's clock. */
  private frame: number;
  /**
   * Changes to the delivery log so far (queued, delivered, retried, given up). Screens get the log by
   * request; this number rides the health gauge's patches so they know when to ask again: without it
   * the log said "sending · tries 0" long after the receiver had answered.
   */
  changes = 0;

  constructor(private readonly d: WebhookSenderDeps) {
    this.schedule = d.schedule ?? RETRY_SCHEDULE_MS;
    this.fetch = d.fetch ?? globalThis.fetch;
    const now = d.clock.now();
    this.frame = now - d.clock.mono();
    d.store.settle(now, Math.max(MAX_RETRY_AFTER_MS, ...this.schedule));
    d.store.prune(now);
  }

  /**
   * The PC's clock, with the saved retry times moved by however it was set since the last look, so
   * every wait is time that passed: a retry set for 5 s while the clock ran 40 days ahead is sent 5 s
   * later, not once the clock catches up (nor after a 1 ms spin of timers Node cannot hold), and one
   * set back a day does not hold it a day. Every time the sender reads the clock is read here.
   */
  private now(): number {
    const now = this.d.clock.now();
    const step = now - this.d.clock.mono() - this.frame;
    if (Math.abs(step) >= CLOCK_SET_MS) {
      this.d.store.shift(step);
      this.frame += step;
    }
    return now;
  }

  /** Queues a notice for every enabled address, or just `only` (durably, before returning), and starts sending. */
  enqueue(n: AlertNotice, only?: string): void {
    const all = this.d.endpoints();
    const urls = all.filter((e, i) => e.enabled && (only === undefined || e.url === only) && (only !== undefined || repeatsOf(all, i) === null)).map((e) => e.url);
    if (!urls.length) return;
    this.d.store.add(n, urls, webhookBody(n, this.d.source?.() ?? null), this.now());
    this.changed();
    this.pump();
  }

  start(): void {
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.d.clock.clearTimeout(this.timer);
  }

  /** Ends at once the notices still queued for an address removed or changed, saying why in the delivery log. */
  endFor(url: string, why: string): void {
    this.d.store.killUrl(url, why, this.now());
    this.changed();
  }

  /** The notices still queued for an address corrected (Edit) go to its new address, now (review26 V4). */
  moveTo(from: string, to: string): void {
    this.d.store.moveUrl(from, to, this.now());
    this.changed();
    this.pump();
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private changed(): void {
    this.changes++;
    this.d.changed?.();
  }

  private pump(): void {
    if (this.stopped) return;
    this.d.clock.clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    for (const r of this.d.store.due(now, BATCH + this.inFlight.size)) {
      const key = `${r.id} ${r.url}`;
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      void this.deliver(r).finally(() => {
        this.inFlight.delete(key);
        this.pump();
      });
    }
    const next = this.d.store.nextAt(now);
    if (next !== null) this.timer = this.d.clock.setTimeout(() => this.pump(), next - now);
  }

  private async deliver(r: DueRow): Promise<void> {
    const ep = this.d.endpoints().find((e) => e.url === r.url);
    const now = (): number => this.now();
    if (!ep || !ep.enabled) {
      this.d.store.dead(r, null, ep ? 'the address was switched off' : 'the address was removed', now(), false);
      return this.changed();
    }
    // Saved by an older console that took any address: fetch would refuse it on every attempt.
    const problem = webhookAddressProblem(r.url);
    if (problem) {
      this.d.store.dead(r, null, problem, now(), false);
      return this.changed();
    }
    let status: number | null = null;
    let error: string;
    let wait: number | null = null;
    try {
      const sentAt = new Date(now());
      const signature = new Webhook(ep.secret).sign(r.id, sentAt, r.body);
      const res = await this.fetch(r.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': r.id, 'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)), 'webhook-signature': signature },
        body: r.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(ep.timeoutSeconds * 1000),
      });
      status = res.status;
      if (status >= 200 && status < 300) {
        // A 2xx is delivered whatever follows: a reply body that never ends must not hold the notice back.
        if (!this.stopped) {
          this.d.store.delivered(r, status, now());
          this.changed();
        }
        await readAtMost(res.body);
        return;
      }
      await readAtMost(res.body);
      if (this.stopped) return;
      if (status === 410) {
        const why = 'the receiver answered 410 Gone: it no longer wants these; sending there stopped';
        this.d.store.dead(r, status, why, now());
        this.d.store.killUrl(r.url, why, now());
        this.d.disable(r.url, why);
        return this.changed();
      }
      error = answerWords(status);
      wait = retryAfterMs(res.headers.get('retry-after'), now());
    } catch (e) {
      if (this.stopped) return;
      error = deliveryError(e as Error, ep.timeoutSeconds);
    }
    const attempt = r.attempts + 1;
    if (attempt >= this.schedule.length) this.d.store.dead(r, status, `gave up after ${attempt} attempts; last: ${error}`, now());
    else this.d.store.retry(r, status, error, now() + Math.max(this.schedule[attempt]!, wait ?? 0), now());
    this.changed();
  }
}

/** A receiver's refusal in words, with its HTTP status for IT. */
const answerWords = (status: number): string =>
  status >= 500
    ? `the receiver had a fault of its own (HTTP ${status})`
    : status < 400
      ? `the receiver points elsewhere (HTTP ${status}): ask its owner for its current address`
      : `the receiver turned it down (HTTP ${status}): check the address and the signing secret`;

/** Each network trouble as the delivery log says it: what happened, and where to look. */
const TROUBLE_WORDS: Record<Exclude<NetTrouble, 'tls'>, string> = {
  refused: 'nothing answers at that address: the receiver is not running there, or the port is wrong',
  'this-pc': 'this PC ran out of network connections or open files (the receiver may be fine); restart the console if it keeps happening',
  'no-such-name': "no computer by that name was found: check the address for a typo, and this PC's network",
  unreachable: "could not reach it: check this PC's network, or ask IT whether the receiver is up",
  cut: 'the connection was cut before the receiver answered',
};

/** What to do about the receiver's certificate, after the pool's own words for what is wrong with it. */
const CERT_FIX: Record<CertTrouble, string> = {
  expired: 'its owner must renew it',
  'not-yet-valid': "its owner must check its dates; if it should be valid, check this PC's date and time",
  'wrong-name': "use the name on the certificate in the webhook's address, or ask its owner for a certificate for this address",
  untrusted: 'ask its owner for a certificate from an authority this PC trusts',
};

/** A TLS failure, by its code as the backend's are (expired, not yet valid, another name, unknown issuer), or not TLS at all. */
function tlsWords(e: CertError): string {
  if (notTls(e)) return 'the receiver does not use a secure connection: the address probably should start with http:// instead of https://';
  return `${certificateWords(e, "the receiver's")}: ${CERT_FIX[certTrouble(e.code ?? '')]}`;
}

/**
 * Why an attempt failed, told apart as IT would: not reached (and why), reached but its answer
 * unreadable (too many headers, not HTTP), or cut off midway. Plain words, no error codes: the log is
 * read at the front desk too.
 */
export function deliveryError(err: Error, timeoutSeconds: number): string {
  if (err.name === 'TimeoutError') return `no answer within ${timeoutSeconds} s`;
  const cause = err.cause as (Error & { code?: string }) | undefined;
  const code = cause?.code ?? '';
  const trouble = code === 'UND_ERR_SOCKET' ? 'cut' : netTrouble(code);
  if (trouble === 'tls') return tlsWords(cause!);
  if (trouble) return TROUBLE_WORDS[trouble];
  if (code.startsWith('HPE_') || (code.startsWith('UND_ERR_') && code !== 'UND_ERR_CONNECT_TIMEOUT')) return 'something answered there, but not as a web server does: check the address';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return TROUBLE_WORDS.unreachable;
  return 'could not reach it';
}
