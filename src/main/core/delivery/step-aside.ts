import { fullJitter } from '../pool/backoff';

/** What stepping aside needs of a message. */
export interface AsideMessage {
  seq: number;
  key: string;
  /** Monotonic ms before which it is not sent again: its own backoff. */
  notBefore: number;
}

/**
 * The messages of one lane the backend failed on (an error answer to them, or no answer to them while it answered
 * others). Each waits out its own backoff here, out of the lane's line, and the lane goes on: one check-in the
 * backend failed on held every later one for half a minute, and the desk judged them all by its offline roster
 * copy while the backend was up and answering.
 *
 * No lane needs its order kept past such a failure: check-ins are independent (each carries its scan time and any
 * verdict this PC gave it), a door release is now or never (its own time to live), and staff actions (notes,
 * syncs, notices) are applied once each, by key, and ask nothing of the ones before them. Nor was order kept
 * before: the messages sent behind a failed one, in the lane's window, were applied before its retry anyway.
 * Outages still hold the line (a lost socket, a backend that answers nothing, its database down): the outbox
 * keeps those at the head of their lane, where nothing behind them could get through either.
 *
 * Several messages failing with nothing taken between is a backend failing on everything, not on one message:
 * then these wait for the lane, one try at a time, backing off as the lane's head used to, so the backend is not
 * hammered and the messages do not all spend their tries at once. New messages are still sent when they come:
 * one of them taken is what shows the backend is well again.
 */
export class SteppedAside<M extends AsideMessage> {
  /** Oldest first. */
  private readonly list: M[] = [];
  /** The messages failed on since the lane's last message was taken, and how many failures in a row. */
  private readonly failed = new Set<string>();
  private streak = 0;
  /** While held (see `held`), no retry goes before this (monotonic ms). */
  private holdUntil = 0;

  constructor(private readonly backoff: { baseMs: number; capMs: number }) {}

  get size(): number {
    return this.list.length;
  }

  /** The backend fails on more than one message and took none since: retries wait their turn, one at a time. */
  /** Every message set aside, for a count; not to be changed. */
  all(): readonly M[] {
    return this.list;
  }

  get held(): boolean {
    return this.failed.size >= 2;
  }

  /** Sets `msg` aside until its `notBefore`; `failed`: the backend answered it with a failure (a timeout is not counted). */
  put(msg: M, now: number, failed: boolean): void {
    let i = this.list.length;
    while (i > 0 && this.list[i - 1]!.seq > msg.seq) i--;
    this.list.splice(i, 0, msg);
    if (!failed) return;
    this.failed.add(msg.key);
    this.streak++;
    if (this.held) this.holdUntil = now + fullJitter(this.streak, this.backoff.baseMs, this.backoff.capMs);
  }

  /** The backend took a message of this lane: what it failed on was about those messages, not the backend. */
  taken(): void {
    this.failed.clear();
    this.streak = 0;
    this.holdUntil = 0;
  }

  /** Takes out and returns those `gone` says are past their time (to be buried, never sent). */
  sweep(gone: (msg: M) => boolean): M[] {
    const out: M[] = [];
    for (let i = this.list.length - 1; i >= 0; i--) if (gone(this.list[i]!)) out.push(...this.list.splice(i, 1));
    return out.reverse();
  }

  /** Whether `take` would give a message now. */
  ready(now: number): boolean {
    return (!this.held || now >= this.holdUntil) && this.list.some((m) => m.notBefore <= now);
  }

  /** Takes out the oldest message whose wait is over, to be sent; null if none may go now. */
  take(now: number): M | null {
    if (!this.ready(now)) return null;
    const i = this.list.findIndex((m) => m.notBefore <= now);
    const [msg] = this.list.splice(i, 1);
    // One at a time while held: the next waits for this one's answer, which sets the hold again (or the cap, if none comes).
    if (this.held) this.holdUntil = now + this.backoff.capMs;
    return msg!;
  }

  /** The earliest time one may go (monotonic ms); null when none waits here. */
  wakeAt(): number | null {
    if (!this.list.length) return null;
    let at = Infinity;
    for (const m of this.list) at = Math.min(at, m.notBefore);
    return this.held ? Math.max(at, this.holdUntil) : at;
  }
}
