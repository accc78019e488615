import type { ActivityNote } from '../../../shared/activity';
import { formatDuration, REMINDER_EVERY_MS } from '../../../shared/duration';
import type { FailureCause } from '../../../shared/pools';
import type { Clock } from '../clock';
import type { PoolActivity } from './activity';

/** What the stories ask of the pools: whether an address has a socket open now, and why it last failed. */
export interface AddressLookup {
  addressUp(pool: string, url: string): boolean;
  addressCause(pool: string, url: string): FailureCause | null;
}

interface Story {
  down: boolean;
  since: number;
  tries: number;
  toldAt: number;
  paused: boolean;
}

/**
 * The pools report each socket's every try; the event log tells each address's story once per change
 * of state: it could not connect or was lost, it is still down (with the count, every few minutes at
 * most), it is back. Every socket to every address retrying every few seconds was about 100 rows in a
 * 90 s outage, and pushed the check-ins off the log. The analytics store counts these rows, so the
 * error rate counts an outage once per address, not once per retry the console happened to make.
 */
export class AddressStories {
  private readonly stories = new Map<string, Story>();

  /** `clock.mono`: how long an address was down is time that passed, not the wall clock's (set back a day, it read "back after -1 day"). */
  constructor(
    private readonly pools: AddressLookup,
    private readonly clock: Pick<Clock, 'mono'>,
    private readonly tell: (note: ActivityNote) => void,
  ) {}

  see(a: PoolActivity): void {
    if (!a.endpoint || !a.pool) return this.tell(a);
    switch (a.type) {
      case 'connected':
      case 'reconnected':
        return this.opened(a);
      case 'failed':
      case 'disconnected':
        return this.lost(a);
      case 'breaker-open':
        return this.paused(a);
      // The trial after a pause is one more try; its success is told as the address being back.
      case 'breaker-half-open':
      case 'breaker-closed':
        return;
      default:
        return this.tell(a);
    }
  }

  private opened(a: PoolActivity): void {
    const s = this.stories.get(key(a));
    if (!s) {
      this.stories.set(key(a), { down: false, since: this.clock.mono(), tries: 0, toldAt: this.clock.mono(), paused: false });
      return this.tell({ ...a, type: 'connected' });
    }
    if (!s.down) return; // another socket to an address already up
    s.down = false;
    const tries = s.tries ? `, ${count(s.tries, 'failed try', 'failed tries')}` : '';
    this.tell({ ...a, type: 'reconnected', detail: `${a.detail ? `${a.detail}: ` : ''}back after ${formatDuration(this.clock.mono() - s.since)} down${tries}` });
  }

  private lost(a: PoolActivity): void {
    // A socket of an address that still has another open: the address is not down.
    if (this.pools.addressUp(a.pool, a.endpoint)) return;
    const now = this.clock.mono();
    const s = this.stories.get(key(a));
    const failedTry = a.type === 'failed' ? 1 : 0;
    if (!s?.down) {
      this.stories.set(key(a), { down: true, since: now, tries: failedTry, toldAt: now, paused: false });
      const why = this.pools.addressCause(a.pool, a.endpoint);
      // Staff read the cause in words; the technical reason goes to the log file with the pools' own report.
      return this.tell({ type: a.type, pool: a.pool, endpoint: a.endpoint, detail: why?.text ?? a.detail });
    }
    s.tries += failedTry;
    if (now - s.toldAt < REMINDER_EVERY_MS) return;
    s.toldAt = now;
    const why = this.pools.addressCause(a.pool, a.endpoint);
    this.tell({ type: 'still-down', pool: a.pool, endpoint: a.endpoint, detail: `still down after ${count(s.tries, 'try', 'tries')} over ${formatDuration(now - s.since)}${why ? `: ${why.text}` : ''}` });
  }

  /** Once an outage: the pauses after each failed trial are part of the same story. */
  private paused(a: PoolActivity): void {
    const s = this.stories.get(key(a));
    if (s?.down && s.paused) return;
    if (s) s.paused = true;
    this.tell(a);
  }
}

const key = (a: PoolActivity): string => `${a.pool}\n${a.endpoint}`;
const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
