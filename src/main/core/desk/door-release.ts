import type { DoorView } from '../../../shared/state';
import type { Clock } from '../clock';
import type { Outbox } from '../delivery/outbox';

/**
 * How long a door release waits for the backend. The person is at the door now: a release that opened the
 * door when the backend came back, maybe hours later at night, would let anyone in. Past it, it is never sent.
 */
export const DOOR_RELEASE_MS = 15_000;
/** The outbox tells expiry by the wall clock, to the ms: given up this much after, it has surely expired. */
const GIVE_UP_AFTER_MS = 500;
/**
 * How long an outcome shows as the door's news. A release opens the door for seconds, and an outage ends:
 * "released" or "not released… open it by hand" read minutes later (or by the next shift) as the door's
 * state now. Past it the screens show it as earlier history. Timed on the console's own timers, not by
 * the wall clock of the screen that shows it.
 */
export const DOOR_NEWS_MS = 2 * 60_000;

/** What the audit log calls each outcome of a press: a refused or given-up release never reads as released. */
export type DoorAuditAction = 'door.release' | 'door.releasedLate' | 'door.refused' | 'door.expired' | 'door.rejected';

export function doorAuditAction(v: DoorView): DoorAuditAction | null {
  if (v.state === 'waiting') return null;
  // As the Door card tells it (words.ts doorWords): confirmed after its wait, when the desk had been told no.
  if (v.state === 'released') return v.confirmedAt !== null && v.confirmedAt - v.at > v.waitMs ? 'door.releasedLate' : 'door.release';
  return v.why === 'offline' ? 'door.refused' : v.why === 'refused' ? 'door.rejected' : 'door.expired';
}

/** A press's outcome, once known: who pressed, for which door, and what came of it. */
export interface DoorOutcome {
  by: string;
  door: string;
  view: DoorView;
}

/** Whether a stored message is a door release (the dead letters hold them as text). */
export function isDoorRelease(op: string, body: string): boolean {
  if (op !== 'action') return false;
  try {
    return (JSON.parse(body) as { kind?: unknown }).kind === 'door.open';
  } catch {
    return false;
  }
}

export interface DoorDeps {
  outbox: Outbox;
  clock: Clock;
  /** Some backend instance answers (the pools are not offline). */
  online(): boolean;
  changed(): void;
  waitMs?: number;
  /** How long an outcome is news (DOOR_NEWS_MS); tests shorten it. */
  newsMs?: number;
}

type Last = DoorView & { key: string | null; by: string; door: string };

function viewOf(last: Last): DoorView {
  const { key: _key, by: _by, door: _door, ...view } = last;
  return view;
}

/**
 * The front-door release: now or never. Refused at once when no backend answers; otherwise sent with the
 * outbox with its own short time to live, so it is never sent after that; one at a time, so presses while
 * one waits queue nothing more.
 */
export class DoorRelease {
  private last: Last | null = null;
  private timer: unknown = null;
  private ageTimer: unknown = null;
  private outcome: ((o: DoorOutcome) => void) | null = null;
  private readonly waitMs: number;
  private readonly newsMs: number;

  constructor(private readonly d: DoorDeps) {
    this.waitMs = d.waitMs ?? DOOR_RELEASE_MS;
    this.newsMs = d.newsMs ?? DOOR_NEWS_MS;
    d.outbox.on('acked', (key) => this.settle(key, 'released', null));
    d.outbox.on('dead', (letter) => this.settle(letter.key, 'not-released', letter.reason.startsWith('refused') ? 'refused' : 'no-answer'));
    // Past its time it leaves the outbox without a dead letter: its outcome is told here, not by a red alert.
    d.outbox.on('lapsed', (key, op, body, earlier, created) => (earlier ? this.lapsedEarlier(op, body, created) : this.settle(key, 'not-released', 'no-answer')));
  }

  view(): DoorView | null {
    return this.last && viewOf(this.last);
  }

  /** Told each outcome once, as it becomes known (a late confirmation after a "not released" is a second one). */
  onOutcome(fn: (o: DoorOutcome) => void): void {
    this.outcome = fn;
  }

  /**
   * `by`: who pressed, for the audit log. `sent`: false when nothing was sent (no backend answers, or a
   * release already waits: the view is that one).
   */
  async release(door: string, by: string): Promise<{ view: DoorView; sent: boolean }> {
    if (this.last?.state === 'waiting') return { view: this.view()!, sent: false };
    const base = { at: this.d.clock.now(), waitMs: this.waitMs, confirmedAt: null, durable: true, earlier: false, key: null, by, door };
    if (!this.d.online()) {
      this.decide({ ...base, state: 'not-released', why: 'offline' });
      return { view: this.view()!, sent: false };
    }
    // Waiting from the press, before the write: a second press meanwhile queues nothing.
    const pending: Last = { ...base, state: 'waiting', why: null };
    this.set(pending);
    try {
      const { key, durable } = await this.d.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: door }, { ttlMs: this.waitMs });
      if (this.last === pending) this.set({ ...pending, key, durable });
      this.timer = this.d.clock.setTimeout(() => this.giveUp(key), this.waitMs + GIVE_UP_AFTER_MS);
      return { view: this.view()!, sent: true };
    } catch (e) {
      if (this.last === pending) this.set(null);
      throw e;
    }
  }

  /** A release still waiting is given up with the console, told, and forgotten: a restart neither sends it nor tells it again. */
  stop(): void {
    this.d.clock.clearTimeout(this.timer);
    this.d.clock.clearTimeout(this.ageTimer);
    if (this.last?.state !== 'waiting') return;
    this.tell({ ...this.last, state: 'not-released', why: 'no-answer' });
    if (this.last.key) this.d.outbox.forget(this.last.key);
  }

  /**
   * One pressed before the console stopped without saying (a crash), lapsing now: recorded, by the system, since who
   * pressed is not kept, and shown on the Door card, since the desk last saw it waiting. Maybe sent before the crash,
   * never confirmed: the words say so. News only while its press is (a PC off overnight shows it as history).
   */
  private lapsedEarlier(op: string, body: string, pressedAt: number): void {
    if (!isDoorRelease(op, body)) return;
    const door = String((JSON.parse(body) as { data?: unknown }).data ?? '');
    const age = this.d.clock.now() - pressedAt;
    const last: Last = { at: pressedAt, waitMs: this.waitMs, confirmedAt: null, durable: true, earlier: !(age >= 0 && age < this.newsMs), key: null, by: 'System', door, state: 'not-released', why: 'stopped' };
    if (this.last) return this.tell(last); // pressed again in this run already: that one is the door's news
    this.set(last);
    this.tell(last);
    if (!last.earlier) this.age(last, this.newsMs - age);
  }

  /** Its time is up: the desk is told at once, and the outbox, kicked, buries it if it still waits there. */
  private giveUp(key: string): void {
    this.timer = null;
    if (this.last?.key !== key || this.last.state !== 'waiting') return;
    this.decide({ ...this.last, state: 'not-released', why: 'no-answer' });
    this.d.outbox.kick();
  }

  private settle(key: string, state: 'released' | 'not-released', why: DoorView['why']): void {
    const last = this.last;
    if (!last || last.key !== key) return;
    // A send already in flight at the deadline may still land: then the door did open, and the desk is told.
    if (state === 'released') {
      this.d.clock.clearTimeout(this.timer);
      this.timer = null;
      this.decide({ ...last, state, why: null, confirmedAt: this.d.clock.now(), earlier: false });
    } else if (last.state === 'waiting') {
      this.d.clock.clearTimeout(this.timer);
      this.timer = null;
      this.decide({ ...last, state, why });
    }
  }

  private set(next: Last | null): void {
    this.last = next;
    this.d.changed();
  }

  /** An outcome is known: shown, recorded, and made history after its time as news. */
  private decide(next: Last): void {
    this.set(next);
    this.tell(next);
    this.age(next);
  }

  private tell(last: Last): void {
    try {
      this.outcome?.({ by: last.by, door: last.door, view: viewOf(last) });
    } catch (e) {
      // The door's answer reaches the desk even when its record cannot be written (a full disk).
      console.error('door: could not record the outcome of a release:', e);
    }
  }

  /** Its outcome becomes history after `newsMs` on this console's timers (a wall clock set back cannot hold it). */
  private age(last: Last, afterMs = this.newsMs): void {
    this.d.clock.clearTimeout(this.ageTimer);
    this.ageTimer = this.d.clock.setTimeout(() => {
      this.ageTimer = null;
      if (this.last === last) {
        this.last = { ...last, earlier: true };
        this.d.changed();
      }
    }, afterMs);
  }
}
