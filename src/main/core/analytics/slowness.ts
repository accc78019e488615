import type { MetricValues } from '../../../shared/analytics';
import { replyTime } from '../../../shared/words';
import { formatDuration, REMINDER_EVERY_MS } from '../../../shared/duration';

/** Above this, a 10 s sample's replies or the console's own delay are worth a line in the event log. */
export const SLOW_SAMPLE_MS = 200;
/** From this reply time on, the desk decides a check-in on this PC rather than keep the member waiting (front-desk.ts). */
const DESK_WAITS_MS = 1_500;

export interface SlownessEvent {
  type: 'slow' | 'backend-slow';
  source: 'console' | 'backend';
  detail: string;
}

/**
 * Who was slow in a 10 s sample, in staff words. The console's own delay makes every reply late too, so a
 * console that lags is blamed first; slow replies while it keeps up are the gym's system's, not the console's.
 */
export function slownessEvent(v: Pick<MetricValues, 'latencyMs' | 'loopLagMs'>): SlownessEvent | null {
  const lag = Math.round(v.loopLagMs);
  if (v.loopLagMs > SLOW_SAMPLE_MS) {
    const replies = v.latencyMs === null ? '' : `, so replies took ${Math.round(v.latencyMs)} ms`;
    return { type: 'slow', source: 'console', detail: `the console itself was ${lag} ms behind${replies}` };
  }
  // Nothing answered: no reply time to judge (the outage is told as one).
  if (v.latencyMs === null || v.latencyMs <= SLOW_SAMPLE_MS) return null;
  const still = v.latencyMs >= DESK_WAITS_MS ? 'check-ins still work: the desk decides them on this PC and sends them on' : 'check-ins still work, a little more slowly';
  return { type: 'backend-slow', source: 'backend', detail: `replies take about ${replyTime(v.latencyMs)}, while this console keeps up; ${still}.` };
}

/** Quick again for this long before a slow spell is told over: one quick sample inside a slow spell is not its end. */
export const CALM_MS = 60_000;

type Who = SlownessEvent['source'];
interface Spell {
  since: number;
  toldAt: number;
  /** The first quick sample since it was last slow (monotonic), null while slow. */
  quickSince: number | null;
}

const WORDS = {
  console: { start: 'slow', still: 'still-slow', over: 'slow-over' },
  backend: { start: 'backend-slow', still: 'backend-still-slow', over: 'backend-slow-over' },
} as const;

/** A slow spell's line in the event log, as a sample's event is: its type, who, and the words. */
export interface SpellLine {
  type: (typeof WORDS)[Who][keyof (typeof WORDS)[Who]];
  source: Who;
  detail: string;
}

/**
 * Tells each slow spell as the event log tells an address's outage (address-story.ts): once when it starts,
 * that it still lasts at most every few minutes, and once when it is over, with how long it lasted. A line
 * every 10 s sample while slow flooded the log and pushed the check-ins off it.
 */
export class SlowSpells {
  private readonly spells: Record<Who, Spell | null> = { console: null, backend: null };

  /** `mono`: how long a spell lasted is time that passed, not the wall clock's. */
  constructor(
    private readonly mono: () => number,
    private readonly tell: (line: SpellLine) => void,
  ) {}

  see(v: Pick<MetricValues, 'latencyMs' | 'loopLagMs' | 'connections'>): void {
    const now = this.mono();
    const event = slownessEvent(v);
    this.judge('console', now, event?.source === 'console' ? event : v.loopLagMs <= SLOW_SAMPLE_MS ? 'quick' : null, '');
    // Replies say nothing of the gym's system while the console lags (they are late for its sake), nor with nothing connected.
    const backend = event?.source === 'backend' ? event : v.loopLagMs <= SLOW_SAMPLE_MS && v.connections > 0 && v.latencyMs !== null ? 'quick' : null;
    this.judge('backend', now, backend, v.latencyMs === null ? '' : `replies take about ${replyTime(v.latencyMs)} again`);
  }

  /** `seen`: this sample's slowness, 'quick', or null when it says nothing either way. */
  private judge(who: Who, now: number, seen: SlownessEvent | 'quick' | null, quickWords: string): void {
    const s = this.spells[who];
    const words = WORDS[who];
    if (seen === null) return;
    if (seen === 'quick') {
      if (!s) return;
      s.quickSince ??= now;
      if (now - s.quickSince < CALM_MS) return;
      this.spells[who] = null;
      // Told a minute after speed came back (one quick sample is no end): the words say so, so the line's time and length add up.
      const lasted = `for ${formatDuration(now - s.quickSince)} now; it was slow for ${formatDuration(s.quickSince - s.since)} before that`;
      return this.tell({ type: words.over, source: who, detail: `${quickWords || 'quick again'}, ${lasted}` });
    }
    if (!s) {
      this.spells[who] = { since: now, toldAt: now, quickSince: null };
      return this.tell({ type: words.start, source: who, detail: seen.detail });
    }
    s.quickSince = null;
    if (now - s.toldAt < REMINDER_EVERY_MS) return;
    s.toldAt = now;
    this.tell({ type: words.still, source: who, detail: `for ${formatDuration(now - s.since)} now: ${seen.detail}` });
  }
}
