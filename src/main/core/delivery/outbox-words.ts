import type { Op } from '../../../shared/protocol';

const NOUN: Partial<Record<Op, [string, string]>> = { checkin: ['check-in', 'check-ins'] };

/**
 * The messages the backend failed on (step-aside.ts) and has not taken since, by op: said on Health and Overview
 * while the backend answers, since connected and "ok" would hide that the gym's system did not take them.
 */
export class FailingTally {
  private readonly byOp = new Map<Op, number>();

  /** Counts it once however often it fails; true when the tally changed. */
  flag(msg: { op: Op; aside: boolean }): boolean {
    if (msg.aside) return false;
    msg.aside = true;
    this.byOp.set(msg.op, (this.byOp.get(msg.op) ?? 0) + 1);
    return true;
  }

  /** It was taken or buried; true when the tally changed. */
  unflag(msg: { op: Op; aside: boolean }): boolean {
    if (!msg.aside) return false;
    msg.aside = false;
    const n = (this.byOp.get(msg.op) ?? 1) - 1;
    if (n > 0) this.byOp.set(msg.op, n);
    else this.byOp.delete(msg.op);
    return true;
  }

  /**
   * In staff words; null when the backend fails on none. `everything`: it failed on several and took
   * none since (step-aside.ts `held`), so "though it takes the others" would not be true.
   */
  why(everything = false): string | null {
    let n = 0;
    for (const k of this.byOp.values()) n += k;
    if (n === 0) return null;
    const only = this.byOp.size === 1 ? NOUN[[...this.byOp.keys()][0]!] : undefined;
    const noun = only ? only[n === 1 ? 0 : 1] : n === 1 ? 'message' : 'messages';
    const they = n === 1 ? 'it is' : 'they are';
    if (everything) return `The gym's backend is failing on everything this PC sends it just now (${n} ${noun} so far): nothing is lost, each is kept and tried again, one at a time, until it takes one. If this lasts, tell the gym's IT.`;
    return `The gym's backend is failing on ${n} ${noun} this PC sent it, though it takes the others: ${they} tried again on ${n === 1 ? 'its' : 'their'} own, and everything else is sent meanwhile. If this lasts, tell the gym's IT.`;
  }
}
