import { randomUUID } from 'node:crypto';
import type { AlertNotice } from '../../../shared/health';
import type { Clock } from '../clock';

const HOUR = 3_600_000;

/** The hour's sent times and the held notices, kept in console.db so a restart neither resets the count nor drops the digest. */
export interface CapStore {
  load(): { sent: number[]; held: AlertNotice[] };
  save(state: { sent: number[]; held: AlertNotice[] }): void;
}

/**
 * At most `max()` notices in any hour. Beyond it notices are held, and once the hour has room one
 * digest says what was held back, so a bad night is a few messages, not a hundred. The hour is time
 * that passed (monotonic): a PC clock set forward or back neither opens the cap early nor holds
 * notices until it catches up.
 */
export class NoticeCap {
  /** When each of the hour's notices went out, on the monotonic clock, oldest first. */
  private sent: number[] = [];
  private held: AlertNotice[] = [];
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly max: () => number,
    private readonly send: (n: AlertNotice) => void,
    private readonly changed: () => void,
    private readonly store?: CapStore,
  ) {
    const saved = store?.load();
    if (!saved) return;
    // Saved as wall times (monotonic time starts again each run). One ahead of this PC's clock, sent
    // while it ran ahead, counts as sent now: its hour ends within the hour, not when the clock catches up.
    const now = clock.now();
    const mono = clock.mono();
    this.sent = saved.sent.map((t) => mono - Math.max(0, now - t)).filter((t) => t > mono - HOUR).sort((a, b) => a - b);
    this.held = saved.held;
    if (this.held.length) this.wake();
  }

  offer(n: AlertNotice): void {
    if (this.room()) return this.pass(n);
    this.held.push(n);
    this.save();
    this.wake();
    this.changed();
  }

  get state(): { sentLastHour: number; cap: number; held: number } {
    this.room();
    return { sentLastHour: this.sent.length, cap: this.max(), held: this.held.length };
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
  }

  private room(): boolean {
    const now = this.clock.mono();
    while (this.sent.length && this.sent[0]! <= now - HOUR) this.sent.shift();
    return this.sent.length < this.max();
  }

  private pass(n: AlertNotice): void {
    this.sent.push(this.clock.mono());
    this.save();
    this.send(n);
  }

  private save(): void {
    this.room(); // only the hour's
    const now = this.clock.now();
    const mono = this.clock.mono();
    this.store?.save({ sent: this.sent.map((t) => Math.round(now - (mono - t))), held: this.held });
  }

  /** When the oldest notice of the hour ages out, the digest goes. */
  private wake(): void {
    if (this.timer !== null) return;
    const at = (this.sent[0] ?? this.clock.mono()) + HOUR;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (!this.held.length) return;
      if (!this.room()) return this.wake();
      const held = this.held;
      this.held = [];
      this.save();
      const firing = held.filter((h) => h.kind === 'firing').length;
      const lines = held.map((h) => `${new Date(h.at).toISOString().slice(11, 16)} ${h.title}`);
      const worst = held.some((h) => h.severity === 'critical') ? 'critical' : held.some((h) => h.severity === 'warning') ? 'warning' : 'info';
      this.pass({
        id: randomUUID(),
        kind: 'digest',
        alert: 'digest',
        severity: worst,
        title: `${held.length} alert ${held.length === 1 ? 'notice' : 'notices'} held back`,
        text: `The limit of ${this.max()} notifications an hour held back ${held.length} (${firing} new trouble): ${lines.join('; ')}. See the Health tab for the current state.`,
        at: this.clock.now(),
        durationMs: null,
      });
      this.changed();
    }, at - this.clock.mono());
  }
}
