/**
 * The least time a verdict stays up before the next scan's replaces it. With two people at the reader, the
 * first one's denial was gone in a quarter of a second and they walked to a locked gate not knowing why;
 * 2 s reads "Not checked in · Please see the front desk" and costs the next member little.
 */
export const HOLD_MS = 2_000;

/**
 * Verdicts in the order their scans were answered, each shown at least HOLD_MS before the next: none is
 * dropped, a later one waits its turn. Plain timers and no React, so a test can drive it.
 */
export class VerdictQueue<T> {
  private readonly waiting: T[] = [];
  /** When the verdict on screen went up; null while the scan prompt shows. */
  private upSince: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly present: (verdict: T) => void,
    // Time that passed, not the PC's clock: one set back an hour held the next verdict for the hour (probe26a A1).
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(verdict: T): void {
    this.waiting.push(verdict);
    this.next();
  }

  /** The verdict on screen ran its time and the scan prompt is back: the next shows at once. */
  cleared(): void {
    this.upSince = null;
    this.next();
  }

  /** The verdict on screen changed (the backend answered it otherwise): it is read again, so it holds HOLD_MS again. */
  held(): void {
    if (this.upSince !== null) this.upSince = this.now();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private next(): void {
    if (this.timer || this.waiting.length === 0) return;
    const wait = this.upSince === null ? 0 : this.upSince + HOLD_MS - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.next();
      }, wait);
      return;
    }
    this.upSince = this.now();
    this.present(this.waiting.shift()!);
    this.next();
  }
}
