/**
 * Tells a keyboard-wedge scanner from a person: scanners type a burst (≈ 7–8 ms a key) and end
 * with Enter (some with Tab); a gap over `gapMs` (20 ms) between keys means a human. Pure, so it is unit-tested.
 */
export interface WedgeOptions {
  gapMs?: number;
  minLength?: number;
}

/** How long a half-typed number stays in a kiosk's box without a key: then it is not the next member's. */
export const TYPED_IDLE_MS = 10_000;

export type WedgeResult = { kind: 'scan'; code: string } | { kind: 'human' } | null;

export class WedgeDetector {
  private buffer = '';
  private last = -Infinity;
  private fast = true;
  private readonly gap: number;
  private readonly min: number;

  constructor(opts: WedgeOptions = {}) {
    this.gap = opts.gapMs ?? 20;
    this.min = opts.minLength ?? 4;
  }

  /** Feed every key with its time; returns a scan on Enter after a fast burst, else null. */
  key(key: string, at: number): WedgeResult {
    const gap = at - this.last;
    this.last = at;
    // Readers end a scan with Enter, or with Tab when set up for forms; a person's Tab is just a key.
    if (key === 'Enter' || (key === 'Tab' && this.buffer.length >= this.min && this.fast)) {
      const result: WedgeResult = this.buffer.length >= this.min && this.fast ? { kind: 'scan', code: this.buffer } : this.buffer ? { kind: 'human' } : null;
      this.reset();
      return result;
    }
    if (key.length !== 1) return null; // Shift and friends
    if (this.buffer && gap > this.gap) this.fast = false;
    if (gap > 500) this.reset(); // a new attempt
    this.buffer += key;
    return null;
  }

  reset(): void {
    this.buffer = '';
    this.fast = true;
  }
}
