import type { Category } from '../../../shared/analytics';
import { cause } from '../pool/failure-cause';
import { demoVisitMs, trafficShape } from '../../../server/simulator';
import { DEFAULT_CAPACITY } from '../../../server/gym';
import { seededRandom, pick } from '../../../server/random';
import type { AnalyticsStore, NewEvent, Sample } from '../store/analytics-store';
import { SAMPLE_MS } from '../analytics/sampler';

const DAY = 86_400_000;
const REASONS = ['expired', 'frozen', 'unpaid', 'unknown-card', 'duplicate'];

/** Seven days of plausible history for the demo gym, written a day per turn so start-up stays quick. */
export async function backfillDemoHistory(store: AnalyticsStore, now: number, ratePerHour: number, days = 7): Promise<void> {
  const rand = seededRandom(11);
  const start = Math.floor((now - days * DAY) / SAMPLE_MS) * SAMPLE_MS;
  // The same visit length as the live demo, so the history's peaks look like today's.
  const leaveShare = SAMPLE_MS / demoVisitMs(ratePerHour, DEFAULT_CAPACITY, 60, 0.88);
  for (let dayStart = start; dayStart < now; dayStart += DAY) {
    const samples: Sample[] = [];
    const events: NewEvent[] = [];
    let occupancy = 40;
    for (let ts = dayStart; ts < Math.min(dayStart + DAY, now - SAMPLE_MS); ts += SAMPLE_MS) {
      const hour = new Date(ts).getHours() + new Date(ts).getMinutes() / 60;
      const weekend = [0, 6].includes(new Date(ts).getDay()) ? 0.8 : 1;
      const rate = (ratePerHour * trafficShape(hour) * weekend * SAMPLE_MS) / 3_600_000;
      const arrivals = Math.floor(rate + rand());
      let allowed = 0;
      let denied = 0;
      for (let i = 0; i < arrivals; i++) {
        const ok = rand() > 0.12;
        if (ok) allowed++;
        else denied++;
        events.push({ ts: ts + Math.floor(rand() * SAMPLE_MS), category: 'checkin', type: ok ? 'allowed' : 'denied', source: 'door', detail: ok ? 'ok' : pick(rand, REASONS) });
      }
      occupancy = Math.max(0, Math.min(DEFAULT_CAPACITY, occupancy + allowed - Math.floor(occupancy * leaveShare + rand())));
      const blip = rand() < 0.0015;
      if (blip) events.push(...incident(ts, rand));
      samples.push({
        ts,
        allowed,
        denied,
        values: {
          connections: blip ? 4 : 6,
          latencyMs: 3 + rand() * 4 + (blip ? 40 : 0) + trafficShape(hour) * 3,
          inPerS: arrivals / 10 + 4,
          outPerS: arrivals / 10 + 4 + rand(),
          errorRate: blip ? 0.05 : 0,
          rssMb: 150 + rand() * 10,
          heapMb: 60 + rand() * 8,
          cpuPct: 2 + trafficShape(hour) * 6 + rand() * 2,
          loopLagMs: 10 + rand() * 5,
          poolHealth: blip ? 67 : 100,
          occupancy,
        },
      });
    }
    if (rand() < 0.5) events.push(userEvent(dayStart + 9.5 * 3_600_000, rand));
    store.addSamples(samples);
    store.insertEvents(events.sort((a, b) => a.ts - b.ts));
    await new Promise((r) => setImmediate(r));
  }
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
    ev(8_001, 'performance', 'slow', 'replies took 45 ms; the console itself was 30 ms behind'),
  ];
}

function userEvent(ts: number, rand: () => number): NewEvent {
  return { ts, category: 'user', type: pick(rand, ['pool-configured', 'export', 'settings']), source: 'manager', detail: '' };
}
