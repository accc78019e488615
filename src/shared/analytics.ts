import { DateTime } from 'luxon';
import { z } from 'zod';
import { backendText } from './backend-text';

/** The five event categories of the Phase 6 report, plus check-ins. */
export const CATEGORIES = ['connection', 'performance', 'error', 'pool', 'user', 'checkin'] as const;
export type Category = (typeof CATEGORIES)[number];

export const RANGES = ['1h', '6h', '24h', '7d'] as const;
export type RangeName = (typeof RANGES)[number];
export const RANGE_MS: Record<RangeName, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

/** A relative range ("last 6 h") or an absolute one; absolute ranges may span up to a year. */
/** Latest instant a range or an export may name (year 2200): far past any real one, far inside what a date holds. */
export const LATEST_TS = 7_258_118_400_000;

export const RangeSchema = z.union([
  z.object({ last: z.enum(RANGES) }).strict(),
  z
    .object({
      from: z.number().int().nonnegative().max(LATEST_TS, 'A range must lie before the year 2200.').meta({ label: 'Range start' }),
      to: z.number().int().positive().max(LATEST_TS, 'A range must lie before the year 2200.').meta({ label: 'Range end' }),
    })
    .strict()
    .refine((r) => r.to > r.from, 'The range must end after it starts.')
    .refine((r) => r.to - r.from <= 366 * 86_400_000, 'A custom range can span at most a year.'),
]).meta({ label: 'Time range' });
export type Range = z.infer<typeof RangeSchema>;

/**
 * The span a range covers at `now`: a preset ends now, a custom range is what it says. "7d" starts at the
 * same clock time 7 days before on the calendar of `zone` (the gym's; this PC's if not given), as a manager
 * reads "the last 7 days": 7 × 24 h back across a DST change read 08:00 → 09:00. The others are hours.
 */
export function resolveRange(range: Range, now: number, zone?: string): { from: number; to: number } {
  if (!('last' in range)) return range;
  if (range.last !== '7d') return { from: now - RANGE_MS[range.last], to: now };
  const back = DateTime.fromMillis(now, zone === undefined ? {} : { zone }).minus({ days: 7 });
  return { from: back.isValid ? back.toMillis() : now - RANGE_MS['7d'], to: now };
}

export const EventQuerySchema = z
  .object({
    range: RangeSchema,
    categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).meta({ label: 'Categories' }).optional(),
    text: z.string().trim().max(100).meta({ label: 'Search text' }).optional(),
    /** Page backwards: only events older than this id. */
    beforeId: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(1_000).default(200),
  })
  .strict();
export type EventQuery = z.input<typeof EventQuerySchema>;

export interface StoredEvent {
  id: number;
  ts: number;
  category: Category;
  type: string;
  source: string;
  detail: string;
  stack: string | null;
}

/** The metrics sampled every 10 s. */
export const METRICS = [
  'connections',
  'latencyMs',
  'inPerS',
  'outPerS',
  'errorRate',
  'rssMb',
  'heapMb',
  'cpuPct',
  'loopLagMs',
  'poolHealth',
  'occupancy',
] as const;
export type Metric = (typeof METRICS)[number];

/** The console takes one sample of every metric this often. */
export const SAMPLE_MS = 10_000;

/**
 * Metrics a sample may not know: the people inside (no count to trust with the backend away), and the
 * reply time (nothing answered: no figure, never 0 ms). Stored as NULL and left out of every mean.
 */
export const MAYBE_UNKNOWN = ['latencyMs', 'occupancy'] as const;
export type MaybeUnknown = (typeof MAYBE_UNKNOWN)[number];

/** A value of each metric; those in MAYBE_UNKNOWN are null when not known. */
export type MetricValues = Omit<Record<Metric, number>, MaybeUnknown> & Record<MaybeUnknown, number | null>;

export interface SeriesPoint {
  ts: number;
  /** Mean over the bucket, of the samples that knew the value (latency, occupancy: null when none did). */
  v: MetricValues;
  /** Check-ins in the bucket. */
  allowed: number;
  denied: number;
  /** How much of the bucket was sampled (the console was running): 0 to the bucket's length. */
  measuredMs: number;
}

/** `from`/`to`: the first and the second half of the range, per measured time, in the metric's own unit. */
export type Trend = { direction: 'up' | 'down' | 'stable'; changePct: number; from: number; to: number };

export interface Prediction {
  /** Start of the hour predicted. */
  hour: number;
  checkins: number;
  low: number;
  high: number;
  connections: number;
  /** Mean absolute percentage error of this method replayed over the stored history. */
  backtestMape: number | null;
  method: string;
}

export interface AnalyticsView {
  /** `skipped`: exports left out because the same data was already open (it would have counted twice). */
  source:
    | { kind: 'live' }
    | {
        kind: 'export';
        sites: string[];
        files: string[];
        skipped: { file: string; sameAs: string }[];
        /** Some of it was made by the demo. */
        simulated: boolean;
        /** What the files cover together, whatever range is shown. */
        span: { from: number; to: number };
      };
  range: { from: number; to: number };
  /**
   * Where the data ends: now for the console's own, an opened export's end for one. A range may reach past it
   * (a custom range to midnight): the bar holding it counts part of its bucket, and none after it is data yet.
   */
  now: number;
  /**
   * The gym's time zone (Analytics "Time zone"; an opened export's own): day rollups start at its midnight,
   * so every bar, tick and time of the tab is said on its clock, not this PC's.
   */
  zone: string;
  tier: '10s' | 'hour' | 'day';
  series: SeriesPoint[];
  /**
   * Where in the range the charts have figures: the first and last sample's time (or rollup's, once
   * samples are past keeping); null when none. A few minutes in a week's range draw as a sliver.
   */
  drawn: { from: number; to: number } | null;
  eventCounts: Record<Category, number>;
  /** Empty unless `measured.enough`: a trend from a few minutes of data is noise. */
  trends: Partial<Record<Metric | 'checkins', Trend>>;
  /**
   * When the gym system was unreachable in the range (no connection open while the console was set up),
   * and how many alerts fired: no messages flow in an outage, so the error rate alone never shows one.
   * `spells`: each outage placed in time; `downMs` also counts down time whose samples are past keeping. `ongoing`: the
   * last spell runs to the latest sample of a live console: the outage is still on (its `to` is not its end).
   */
  outages: { downMs: number; spells: { from: number; to: number }[]; alerts: number; ongoing?: boolean };
  /** Sampled time in the range; a trend needs `neededMs` in each half of it. */
  measured: { ms: number; neededMs: number; enough: boolean };
  prediction: Prediction | null;
  /** Why there is no forecast although there may be history: it is only for ranges that end now (not past, not future). */
  noForecast: 'past-range' | 'future-range' | 'export' | null;
  /**
   * Set when the range holds nothing at all, and why: it lies after now (or after an opened export's
   * end), before the first record kept (`earliest`), or in a stretch nothing was recorded.
   */
  empty: { why: 'future' | 'before-data' | 'gap'; earliest: number | null } | null;
  storage: { dbMb: number; walMb: number; freeDiskMb: number | null } | null;
}

export const EXPORT_FORMATS = ['csv', 'json', 'sqlite'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportRequestSchema = z
  .object({
    range: RangeSchema,
    categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).meta({ label: 'Categories' }).optional(),
    text: z.string().trim().max(100).meta({ label: 'Search text' }).optional(),
    format: z.enum(EXPORT_FORMATS).meta({ label: 'Export format' }),
  })
  .strict();
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

/**
 * Whose export it is when the gym's name was never set (Analytics, Gym name). Consoles before this
 * wrote "This gym", which on a review PC reads as that PC's own gym: read as this too.
 */
export const UNNAMED_SITE = 'A gym with no name set';
/** The demo gym's name in its exports and notices, when a manager gave it none. */
export const DEMO_SITE = 'Demo gym';
export const siteInWords = (site: string): string => (site.trim() === '' || site === 'This gym' ? UNNAMED_SITE : site);

/** Marks a file as ours, so "Open export" can refuse anything else clearly. */
export const EXPORT_MAGIC = 'av-gym-console-export';
/**
 * 2: a sample's occupancy may be null (not known); a console that reads only 1 says to update rather than call the file damaged.
 * 3: a check-in's detail also carries the member id, card and who overrode, after tabs (words.ts `checkinDetail`):
 * a console that reads only 2 would show them as the override's note.
 * 4: a sample's latency may be null (nothing answered); a console that reads only 3 says to update rather than call the file damaged.
 */
export const EXPORT_VERSION = 4;

/** Retention per tier, in days. */
export const RetentionSchema = z
  .object({
    events: z.number().int().min(1).max(3650).meta({ label: 'Days to keep events' }),
    samples: z.number().int().min(1).max(366).meta({ label: 'Days to keep 10-second samples' }),
    hours: z.number().int().min(7).max(3650).meta({ label: 'Days to keep hourly rollups' }),
    days: z.number().int().min(30).max(36500).meta({ label: 'Days to keep daily rollups' }),
  })
  .strict();

/** The gym's name in its exports, alerts and webhooks: set at the first run or on the Analytics tab, the same rules. */
export const SiteNameSchema = z
  .string()
  .transform((n) => backendText(n).replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'Give the gym a name.').max(60))
  .meta({ label: 'Gym name' });

export const AnalyticsSettingsSchema = z
  .object({
    /** IANA zone whose local day the daily rollups follow, e.g. Europe/Berlin. */
    timezone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'Unknown time zone; use a name like Europe/Berlin or America/New_York.')
      .meta({ label: 'Time zone', example: 'Europe/Berlin' }),
    retentionDays: RetentionSchema,
    /** This gym's name in its exports, so a review of several tells them apart (unset: UNNAMED_SITE). */
    siteName: SiteNameSchema.optional(),
  })
  .strict();
export type AnalyticsSettings = z.infer<typeof AnalyticsSettingsSchema>;
