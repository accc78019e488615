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
}

type Last = DoorView & { key: string | null };

/**
 * The front-door release: now or never. Refused at once when no backend answers; otherwise sent with the
 * outbox with its own short time to live, so it is never sent after that; one at a time, so presses while
 * one waits queue nothing more.
 */
export class DoorRelease {
  private last: Last | null = null;
  private timer: unknown = null;
  private readonly waitMs: number;

  constructor(private readonly d: DoorDeps) {
    this.waitMs = d.waitMs ?? DOOR_RELEASE_MS;
    d.outbox.on('acked', (key) => this.settle(key, 'released', null));
    d.outbox.on('dead', (letter) => this.settle(letter.key, 'not-released', letter.reason.startsWith('refused') ? 'refused' : 'no-answer'));
  }

  view(): DoorView | null {
    if (!this.last) return null;
    const { key: _key, ...view } = this.last;
    return view;
  }

  /** `sent`: false when nothing was sent (no backend answers, or a release already waits: the view is that one). */
  async release(door: string): Promise<{ view: DoorView; sent: boolean }> {
    if (this.last?.state === 'waiting') return { view: this.view()!, sent: false };
    const base = { at: this.d.clock.now(), waitMs: this.waitMs, confirmedAt: null, durable: true, key: null };
    if (!this.d.online()) {
      this.set({ ...base, state: 'not-released', why: 'offline' });
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

  stop(): void {
    this.d.clock.clearTimeout(this.timer);
  }

  /** Its time is up: the desk is told at once, and the outbox, kicked, buries it if it still waits there. */
  private giveUp(key: string): void {
    this.timer = null;
    if (this.last?.key !== key || this.last.state !== 'waiting') return;
    this.set({ ...this.last, state: 'not-released', why: 'no-answer' });
    this.d.outbox.kick();
  }

  private settle(key: string, state: 'released' | 'not-released', why: DoorView['why']): void {
    const last = this.last;
    if (!last || last.key !== key) return;
    // A send already in flight at the deadline may still land: then the door did open, and the desk is told.
    if (state === 'released') {
      this.d.clock.clearTimeout(this.timer);
      this.timer = null;
      this.set({ ...last, state, why: null, confirmedAt: this.d.clock.now() });
    } else if (last.state === 'waiting') {
      this.d.clock.clearTimeout(this.timer);
      this.timer = null;
      this.set({ ...last, state, why });
    }
  }

  private set(next: Last | null): void {
    this.last = next;
    this.d.changed();
  }
}
