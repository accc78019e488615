/**
 * Tells a keyboard-wedge scanner from a person: scanners type a burst (≈ 7–8 ms a key) and end with
 * Enter (some with Tab). On a busy PC the page sees some of those keys 20–60 ms apart, so the pace is
 * judged over the whole entry, not key by key: a strict 20 ms gap took such a scan in the kiosk's
 * manager PIN prompt as a wrong PIN (probe-walk14 W17). Pure, so it is unit-tested.
 */
export interface WedgeOptions {
  /** A burst: the whole entry, Enter included, at this many ms a key or faster on average. */
  averageMs?: number;
  /** …with no single gap longer than this: a person's pause, or a new entry. */
  longestGapMs?: number;
  minLength?: number;
  /** An entry longer than this is a scan whatever its pace (in a PIN prompt: longer than any PIN). */
  longestTyped?: number;
}

/** How long a half-typed number stays in a kiosk's box without a key: then it is not the next member's. */
export const TYPED_IDLE_MS = 10_000;

/** A key after this long starts a new entry. */
const NEW_ENTRY_MS = 500;

/** `cut`: an entry that began before this detector listened (the tail of a burst): never a card to send. */
export type WedgeResult = { kind: 'scan'; code: string } | { kind: 'human' } | { kind: 'cut' } | null;

export class WedgeDetector {
  private buffer = '';
  private first = 0;
  private last = -Infinity;
  private longest = 0;
  /** The entry under way began before this detector listened. */
  private cut = false;
  private readonly average: number;
  private readonly longestGap: number;
  private readonly min: number;
  private readonly maxTyped: number;

  constructor(opts: WedgeOptions = {}) {
    // A person's fastest run of keys is about 60 ms a key; a loaded PC's scan stays well under 40.
    this.average = opts.averageMs ?? 35;
    this.longestGap = opts.longestGapMs ?? 150;
    this.min = opts.minLength ?? 4;
    this.maxTyped = opts.longestTyped ?? Infinity;
  }

  /** Whether the entry so far, ended by a key at `at`, is a reader's. */
  private scanned(at: number): boolean {
    const n = this.buffer.length;
    if (n < this.min) return false;
    if (n > this.maxTyped) return true;
    return Math.max(this.longest, at - this.last) <= this.longestGap && (at - this.first) / n <= this.average;
  }

  /** Feed every key with its time; returns a scan on Enter after a fast burst, else null. */
  key(key: string, at: number): WedgeResult {
    // Readers end a scan with Enter, or with Tab when set up for forms; a person's Tab is just a key.
    if (key === 'Enter' || (key === 'Tab' && this.scanned(at))) {
      const cut = this.cut && (this.buffer !== '' || at - this.last <= this.longestGap);
      const result: WedgeResult = cut ? { kind: 'cut' } : this.scanned(at) ? { kind: 'scan', code: this.buffer } : this.buffer ? { kind: 'human' } : null;
      this.reset();
      this.last = at;
      return result;
    }
    if (key.length !== 1) return null; // Shift and friends
    const gap = at - this.last;
    this.last = at;
    if (gap > NEW_ENTRY_MS || (this.cut && gap > this.longestGap)) this.reset(); // a new attempt
    if (this.buffer) this.longest = Math.max(this.longest, gap);
    else this.first = at;
    this.buffer += key;
    return null;
  }

  /** Whether the keys so far are the rest of an entry begun elsewhere (`listenFrom`): they are not the box's. */
  get cutting(): boolean {
    return this.cut;
  }

  /**
   * Starts listening while keys may still be coming: `lastKeyAt` is when the page last saw one. A burst
   * that goes on from there is the rest of an entry typed somewhere else (a card scanned while a PIN
   * opened this screen), and ends as `cut`, so half a card is never sent as a card (probe28a R4).
   */
  listenFrom(lastKeyAt: number): void {
    this.reset();
    this.last = lastKeyAt;
    this.cut = true;
  }

  reset(): void {
    this.buffer = '';
    this.longest = 0;
    this.cut = false;
  }
}
