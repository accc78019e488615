/** Events applied this recently: the feed is moving (two health rounds, so one slow round is not a stop). */
const MOVING_MS = 2_500;
/** The lag is compared with what it was this long before: less now is ground gained. */
const WINDOW_MS = 5_000;
/** Behind longer than this is not a catch-up any more, moving or not: red, and the feed's alert may follow. */
const LIMIT_MS = 120_000;

/**
 * Whether a feed behind the backend is catching up: applying events, behind by less than a window before, and not for
 * long. One that applies events but loses ground (a PC slower than the gym's rate, a head that stays ahead) is not:
 * shown amber it would stay amber for ever, its alert never raised (review22 L1).
 */
export class CatchUp {
  private moved = { seq: -1, at: -Infinity };
  private mark: { at: number; lag: number } | null = null;
  private gaining = true;
  private behindSince: number | null = null;

  look(applied: number, head: number, mono: number): boolean {
    if (applied !== this.moved.seq) this.moved = { seq: applied, at: mono };
    const lag = Math.max(0, head - applied);
    if (lag === 0) {
      this.mark = null;
      this.gaining = true;
      this.behindSince = null;
      return false;
    }
    this.behindSince ??= mono;
    if (!this.mark) this.mark = { at: mono, lag };
    else if (mono - this.mark.at >= WINDOW_MS) {
      this.gaining = lag < this.mark.lag;
      this.mark = { at: mono, lag };
    }
    return mono - this.moved.at < MOVING_MS && this.gaining && mono - this.behindSince < LIMIT_MS;
  }
}
