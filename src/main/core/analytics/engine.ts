import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnalyticsSettingsSchema, type AnalyticsSettings, type AnalyticsView, type Category, type Range } from '../../../shared/analytics';
import { ACTIVITY_KINDS, type ActivityEntry } from '../../../shared/activity';
import type { CheckinEntry } from '../../../shared/state';
import { checkinDetail, overruledWords } from '../../../shared/words';
import { clockSaidNote } from '../../../shared/backend-clock';
import { DEFAULT_RETENTION, type AnalyticsStore, type FeedMark, type Retention } from '../store/analytics-store';
import { SettingsStore } from '../store/settings-store';
import { SAMPLE_MS, Sampler, type SamplerSources } from './sampler';
import { FlowMeter } from './flow';
import { buildView } from './view';
import { SlowSpells } from './slowness';
import { DISK_WORDS, diskProblem } from '../disk-words';

const DAY = 86_400_000;

/** Records what happens into the store, samples every 10 s, and keeps the store within its retention. */
export class AnalyticsEngine {
  readonly sampler: Sampler;
  /** Everything that flowed, counted once; the 10 s sampler and the 1 Hz ticker read it. */
  readonly meter = new FlowMeter();
  private retentionTimer: NodeJS.Timeout | null = null;
  private readonly saved: SettingsStore;
  private readonly slowSpells: SlowSpells;
  /** Set while the disk refuses the background writes (a full disk): how many were skipped meanwhile. */
  private diskRefused: { skipped: number } | null = null;

  constructor(
    readonly store: AnalyticsStore,
    sources: SamplerSources,
    private readonly now: () => number,
    /** Monotonic ms: how long a slow spell lasted. */
    mono: () => number = () => performance.now(),
    public retention: Retention = DEFAULT_RETENTION,
  ) {
    this.saved = new SettingsStore(store.db, { table: 'meta' });
    this.slowSpells = new SlowSpells(mono, (l) => this.record('performance', l.type, l.source, l.detail));
    this.sampler = new Sampler(this.meter, sources, (s) => {
      // Slow spells are watched whether or not the sample could be stored.
      try {
        this.quietly(() => this.store.addSamples([s]), undefined);
      } finally {
        this.slowSpells.see(s.values);
      }
    }, now);
  }

  /** Saved in the store itself, so an exported SQLite file carries them too. */
  settings(): AnalyticsSettings {
    const r = this.retention;
    const fallback: AnalyticsSettings = {
      timezone: this.store.timezone,
      retentionDays: { events: r.eventsMs / DAY, samples: r.samplesMs / DAY, hours: r.hoursMs / DAY, days: r.daysMs / DAY },
    };
    return { ...fallback, ...this.saved.get('settings', AnalyticsSettingsSchema.partial(), {}) };
  }

  configure(next: AnalyticsSettings): AnalyticsSettings {
    const saved = this.saved.set('settings', AnalyticsSettingsSchema, next);
    this.apply(saved);
    return saved;
  }

  private apply(s: AnalyticsSettings): void {
    this.store.timezone = s.timezone;
    const d = s.retentionDays;
    this.retention = { eventsMs: d.events * DAY, samplesMs: d.samples * DAY, hoursMs: d.hours * DAY, daysMs: d.days * DAY };
  }

  start(): void {
    this.apply(this.settings());
    this.sampler.start();
    this.retentionTimer = setInterval(() => this.maintain(), 10 * 60_000);
    this.retentionTimer.unref();
  }

  stop(): void {
    this.sampler.stop();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.store.close();
  }

  record(category: Category, type: string, source: string, detail: string, stack: string | null = null): void {
    this.store.record({ ts: this.now(), category, type, source, detail, stack });
  }

  activity(a: ActivityEntry): void {
    const kind = ACTIVITY_KINDS[a.type];
    if (kind.error) this.meter.total.errors++;
    this.store.record({ ts: a.ts, category: kind.category, type: a.type, source: a.endpoint || a.pool || 'console', detail: a.detail, stack: null });
  }

  /** What was counted before this start, by the backend event it reached (written with the events). */
  countedThrough(): FeedMark | null {
    return this.store.countedThrough();
  }

  /** One event from the backend; a check-in is also recorded as one, with `mark`: where it stands in the backend's log. */
  received(checkin: CheckinEntry | null, mark?: FeedMark): void {
    const t = this.meter.total;
    t.in++;
    t.ok++;
    if (!checkin) return;
    if (!this.countedAtScan(checkin)) {
      if (checkin.allowed) t.allowed++;
      else t.denied++;
    }
    // The member id and card tell namesakes apart in an export; who overrode is said with the note. An
    // offline decision the backend overruled is said too: the event log and exports show it.
    // A stamp past belief was replaced by when it arrived (feed.ts): the export says what the backend's clock said.
    const extra = [overruledWords(checkin), checkin.clockSaid === undefined ? null : clockSaidNote(checkin.clockSaid)].filter(Boolean).join(' ') || null;
    const facts = { memberId: checkin.memberId, cardId: checkin.cardId, staff: checkin.overriddenBy ?? null, extra };
    const detail = checkinDetail(checkin.reason, checkin.name ?? checkin.cardId, checkin.note, facts);
    this.store.record({ ts: checkin.ts, category: 'checkin', type: checkin.allowed ? 'allowed' : 'denied', source: checkin.source, detail }, mark);
  }

  /**
   * A check-in that went late belongs to the hour of its scan, whose samples were taken already:
   * it is added to the sample that covered the scan (and its hour and day), not to the one now.
   */
  private countedAtScan(checkin: CheckinEntry): boolean {
    if (checkin.arrivedAt === undefined) return false;
    const from = Math.floor(checkin.ts / SAMPLE_MS) * SAMPLE_MS;
    // A sample late by its timer is still the one that covered the scan; one a minute on is not.
    return this.quietly(() => this.store.addLateCheckin(from, from + 60_000, checkin.allowed), false);
  }

  /** One message the backend acknowledged. */
  delivered(): void {
    this.meter.total.out++;
    this.meter.total.ok++;
  }

  view(range: Range, categories?: Category[]): AnalyticsView {
    this.store.flush();
    return { ...buildView(this.store, range, this.now(), { kind: 'live' }, categories), storage: this.storage() };
  }

  storage(): NonNullable<AnalyticsView['storage']> {
    let freeDiskMb: number | null = null;
    try {
      const fs = statfsSync(dirname(this.store.file));
      freeDiskMb = Math.round((fs.bavail * fs.bsize) / 1048576);
    } catch {
      // not every platform reports it
    }
    return { ...this.store.sizes(), freeDiskMb };
  }

  /** Retention, WAL checkpoint and incremental vacuum (free disk space is a health check). */
  maintain(): void {
    this.store.flush();
    this.quietly(() => this.store.prune(this.now(), this.retention), undefined);
  }

  /**
   * Background work on the file (samples, late check-ins, retention): broken pages are noted by the
   * store and said by Health, not thrown every 10 s into the feed or a timer; `otherwise` stands in.
   * A disk that refuses writes (full, read-only) is said once in the log when it starts and once when
   * it ends, in the disk's words, not every 10 s with a stack (Health says it from the outbox).
   */
  private quietly<T>(run: () => T, otherwise: T): T {
    let out: T;
    try {
      out = run();
    } catch (e) {
      if (this.store.noteFailure(e)) return otherwise;
      const disk = diskProblem(e);
      if (!disk) throw e;
      if (!this.diskRefused) {
        this.diskRefused = { skipped: 0 };
        this.store.report(`analytics samples could not be stored: ${DISK_WORDS[disk]}. They are skipped until the disk takes them again (the charts show a gap there).`);
      }
      this.diskRefused.skipped++;
      return otherwise;
    }
    if (this.diskRefused) {
      this.store.report(`analytics samples are stored again; ${this.diskRefused.skipped} were skipped meanwhile.`);
      this.diskRefused = null;
    }
    return out;
  }
}
