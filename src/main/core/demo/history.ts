import type { Category } from '../../../shared/analytics';
import type { Member } from '../../../shared/protocol';
import { checkinDetail } from '../../../shared/words';
import { cause } from '../pool/failure-cause';
import { arrivalsPerHour, demoVisitMs, DOUBLE_SCAN_SHARE, LAPSED_SHARE, UNKNOWN_SHARE } from '../../../server/simulator';
import { DEFAULT_CAPACITY } from '../../../server/gym';
import { seedRoster } from '../../../server/roster';
import { seededRandom, pick } from '../../../server/random';
import type { AnalyticsStore, NewEvent, Sample } from '../store/analytics-store';
import { SAMPLE_MS } from '../analytics/sampler';
import { slownessEvent } from '../analytics/slowness';
import { processMemory } from '../process-memory';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The last stretch of history bends towards the gym as it is at start-up, so the charts join it. */
const JOIN_MS = 30 * 60_000;

/** The demo gym as it is when the history is written: its members, and how many are inside now. */
export interface LiveDemo {
  members?: readonly Member[];
  occupancy?: number;
}

/**
 * Seven days of plausible history for the demo gym, written an hour per turn so start-up stays quick.
 * It is what the live demo would have recorded (simulator.ts): the same arrivals an hour, members,
 * verdicts and visit length, messages in as check-ins and check-outs, and the console's own figures
 * as they are now; it ends at the gym's occupancy at start-up. A history of another make (4 messages
 * a second more than the live demo sent, occupancy starting each day at 40) fell off a cliff where
 * the live data began, and the trends read that as real.
 */
export async function backfillDemoHistory(store: AnalyticsStore, now: number, ratePerHour: number, days = 7, live: LiveDemo = {}, signal?: AbortSignal): Promise<void> {
  const rand = seededRandom(11);
  const members = live.members ?? seedRoster(undefined, undefined, now);
  const regulars = members.filter((m) => m.status === 'active' || m.status === 'expiring');
  const lapsed = members.filter((m) => !regulars.includes(m));
  const start = Math.floor((now - days * DAY) / SAMPLE_MS) * SAMPLE_MS;
  const end = now - SAMPLE_MS;
  const admittedShare = 1 - UNKNOWN_SHARE - LAPSED_SHARE;
  const visitMs = demoVisitMs(ratePerHour, DEFAULT_CAPACITY, 60, admittedShare);
  const leaveShare = SAMPLE_MS / visitMs;
  // The console's own figures, as this process has them now.
  const memory = processMemory();
  const [rssMb, heapMb] = [memory.rss / 1048576, memory.heapUsed / 1048576];
  // Inside when the history starts: the steady state for that hour (Little's law), as the live demo starts warm.
  const steady = (ts: number): number => (arrivalsPerHour(ratePerHour, new Date(ts)) * admittedShare * visitMs) / HOUR;
  let inside = Math.round(steady(start));
  // A stop ends it between hours: a busy demo's week is millions of rows, and quitting must not wait for them.
  for (let hourStart = start; hourStart < end && !signal?.aborted; hourStart += HOUR) {
    const samples: Sample[] = [];
    const events: NewEvent[] = [];
    for (let ts = hourStart; ts < Math.min(hourStart + HOUR, end); ts += SAMPLE_MS) {
      const perHour = arrivalsPerHour(ratePerHour, new Date(ts));
      const shape = ratePerHour > 0 ? perHour / ratePerHour : 0;
      const arrivals = Math.floor((perHour * SAMPLE_MS) / HOUR + rand());
      let allowed = 0;
      let denied = 0;
      for (let i = 0; i < arrivals; i++) {
        const c = scan(rand, regulars, lapsed, inside + allowed >= DEFAULT_CAPACITY);
        if (c.allowed) allowed++;
        else denied++;
        const detail = checkinDetail(c.reason, c.member?.name ?? c.cardId, null, { memberId: c.member?.id ?? null, cardId: c.cardId, staff: null, extra: null });
        events.push({ ts: ts + Math.floor(rand() * SAMPLE_MS), category: 'checkin', type: c.allowed ? 'allowed' : 'denied', source: 'door', detail });
      }
      // Over the last half hour the walk is steered to the gym's count at start-up: more or fewer
      // leave, more so as the start nears, so it arrives there with its ups and downs (not a flat line).
      const pull = live.occupancy === undefined || ts < end - JOIN_MS ? 0 : (inside - live.occupancy) * 0.3 * ((ts - (end - JOIN_MS)) / JOIN_MS) ** 3;
      const left = Math.max(0, Math.min(inside + allowed, Math.floor(inside * leaveShare + rand() + pull)));
      inside = Math.max(0, Math.min(DEFAULT_CAPACITY, inside + allowed - left));
      if (live.occupancy !== undefined && ts + SAMPLE_MS >= end) inside = live.occupancy; // the last: where the live count starts
      const blip = rand() < 0.0015;
      if (blip) events.push(...incident(ts, rand));
      samples.push({
        ts,
        allowed,
        denied,
        values: {
          connections: blip ? 4 : 6,
          // The demo's backend is on this PC: a millisecond or two, a little more when busy.
          latencyMs: 0.8 + rand() * 1.5 + shape + (blip ? 40 : 0),
          // What the console receives is the backend's events: each check-in and check-out. It sends nothing by itself.
          inPerS: (arrivals + left) / (SAMPLE_MS / 1000),
          outPerS: 0,
          errorRate: blip ? 0.05 : 0,
          rssMb: rssMb * (0.95 + rand() * 0.1),
          heapMb: heapMb * (0.85 + rand() * 0.3),
          cpuPct: 1 + shape * 2 + rand(),
          loopLagMs: 10 + rand() * 5,
          poolHealth: blip ? 67 : 100,
          occupancy: inside,
        },
      });
    }
    // Now and then a manager's action, once a day at most.
    if ((hourStart - start) % DAY === 0 && rand() < 0.5 && hourStart + 9.5 * HOUR < end) events.push(userEvent(hourStart + 9.5 * HOUR, rand));
    store.addSamples(samples);
    store.insertEvents(events.sort((a, b) => a.ts - b.ts));
    await new Promise((r) => setImmediate(r));
  }
}

/** One scan at the door, decided as the demo gym decides it (gym.ts `verdictFor`), in the simulator's shares. */
function scan(rand: () => number, regulars: readonly Member[], lapsed: readonly Member[], full: boolean): { cardId: string; member: Member | null; allowed: boolean; reason: string } {
  const r = rand();
  if (r < UNKNOWN_SHARE || !regulars.length) return { cardId: String(9_000_000_000 + Math.floor(rand() * 1e6)), member: null, allowed: false, reason: 'unknown-card' };
  if (r < UNKNOWN_SHARE + LAPSED_SHARE && lapsed.length) {
    const m = pick(rand, lapsed as Member[]);
    return { cardId: m.cardId, member: m, allowed: false, reason: m.status };
  }
  const m = pick(rand, regulars as Member[]);
  if (rand() < DOUBLE_SCAN_SHARE) return { cardId: m.cardId, member: m, allowed: false, reason: 'duplicate' };
  if (full) return { cardId: m.cardId, member: m, allowed: false, reason: 'capacity-full' };
  return { cardId: m.cardId, member: m, allowed: true, reason: m.status === 'expiring' ? 'expiring-soon' : 'ok' };
}

function incident(ts: number, rand: () => number): NewEvent[] {
  const ep = `ws://127.0.0.1:91${Math.floor(rand() * 3)}0`;
  const ev = (dt: number, category: Category, type: string, detail: string, stack: string | null = null): NewEvent => ({ ts: ts + dt, category, type, source: ep, detail, stack });
  // Worded as the console words what it sees live: the codes and stacks are the log file's, not the event log's.
  return [
    ev(0, 'connection', 'disconnected', cause('closed-by-backend', '').text),
    ev(5, 'connection', 'failover', 'now via another instance'),
    ev(900, 'connection', 'failed', cause('refused', '').text),
    ev(1_200, 'error', 'dead-letter', 'A staff message: the backend refused it.'),
    ev(2_500, 'pool', 'breaker-open', 'after 5 failed tries in a row; next try in 2 s'),
    ev(8_000, 'connection', 'reconnected', ''),
    ev(8_001, 'performance', 'backend-slow', slownessEvent({ latencyMs: 650, loopLagMs: 12 })!.detail),
  ];
}

function userEvent(ts: number, rand: () => number): NewEvent {
  return { ts, category: 'user', type: pick(rand, ['pool-configured', 'export', 'settings']), source: 'manager', detail: '' };
}
