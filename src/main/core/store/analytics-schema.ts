import { METRICS } from '../../../shared/analytics';
import type { Migration } from './db';
import { MOST_PEOPLE } from '../../../shared/protocol';

/** No metric of a 10 s sample comes near this (latency, rates, memory, occupancy); past it a value is damage. */
export const MAX_METRIC = 1e9;
/** The most one sample may say of a metric: occupancy no more than the protocol lets a backend say, any other MAX_METRIC. */
export const mostPerSample = (m: string): number => (m === 'occupancy' ? MOST_PEOPLE : MAX_METRIC);

/** Version 1's columns: a new metric needs a new migration, since editing v1 changes its stored hash. */
const metricCols = (prefix: string): string => METRICS.map((m) => `${prefix}${m} REAL NOT NULL`).join(', ');

/**
 * analytics.db. Version 1: events (with hourly counts per category), 10 s samples, and hourly and
 * daily rollups holding sums and counts (means are derived). Version 2: the worst latency per rollup.
 * Version 3: hourly uptime per backend instance. Version 4: clears metric values no sample can have
 * (negative or not finite), written before backend frames were bounded (a forged pong's latency was
 * −1e9 ms or −Infinity); an export carrying one could not be opened for review. Version 5: an
 * occupancy not known is NULL, not 0. Version 6: event times made whole; a backend event time with a
 * fraction of a ms was stored as it came (a REAL in an INTEGER column), and broke every export of its range.
 * Version 7: a latency with nothing answering is NULL, not 0 ms (see LATENCY_NOT_ANSWERED).
 */
/**
 * The samples before v7 wrote as 0 ms while nothing answered, made unknown: those with no connection open (a
 * sample with none could not have had a reply), and each rollup's count of samples that knew it (n_latencyMs)
 * lowered by them. A rollup summing to 0 ms knew none (its samples may be past keeping: a whole hour or day
 * offline). Other rollups whose samples are gone cannot be told apart and stay as they were. Days are bounded
 * by the next day's row: every sample adds to its day. Part of migration 7 (never edit it), and run over a
 * review of exports from before format 4, which carry those 0s too.
 */
export const LATENCY_NOT_ANSWERED = `
    UPDATE samples SET latencyMs = NULL WHERE latencyMs = 0 AND connections = 0;
    UPDATE hours SET n_latencyMs = CASE WHEN sum_latencyMs = 0 THEN 0 ELSE
      MAX(0, n - (SELECT COUNT(*) FROM samples s WHERE s.ts >= hours.ts AND s.ts < hours.ts + 3600000 AND s.latencyMs IS NULL)) END
      WHERE n_latencyMs IS NULL;
    UPDATE days SET n_latencyMs = CASE WHEN sum_latencyMs = 0 THEN 0 ELSE
      MAX(0, n - (SELECT COUNT(*) FROM samples s WHERE s.ts >= days.ts AND s.latencyMs IS NULL
        AND s.ts < COALESCE((SELECT d.ts FROM days d WHERE d.day > days.day ORDER BY d.day LIMIT 1), 9e15))) END
      WHERE n_latencyMs IS NULL;
`;

export const ANALYTICS_MIGRATIONS: Migration[] = [
  `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (
      id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, category INTEGER NOT NULL,
      type TEXT NOT NULL, source TEXT NOT NULL, detail TEXT NOT NULL, stack TEXT
    );
    CREATE INDEX events_by_ts ON events (ts);
    CREATE INDEX events_by_category ON events (category, ts);
    CREATE TABLE event_hours (hour INTEGER NOT NULL, category INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (hour, category)) WITHOUT ROWID;
    CREATE TABLE samples (ts INTEGER PRIMARY KEY, ${metricCols('')}, allowed INTEGER NOT NULL, denied INTEGER NOT NULL);
    CREATE TABLE hours (ts INTEGER PRIMARY KEY, n INTEGER NOT NULL, ${metricCols('sum_')}, allowed INTEGER NOT NULL, denied INTEGER NOT NULL);
    CREATE TABLE days (day TEXT PRIMARY KEY, ts INTEGER NOT NULL, n INTEGER NOT NULL, ${metricCols('sum_')}, allowed INTEGER NOT NULL, denied INTEGER NOT NULL);
  `,
  `
    ALTER TABLE hours ADD COLUMN max_latencyMs REAL NOT NULL DEFAULT 0;
    ALTER TABLE days ADD COLUMN max_latencyMs REAL NOT NULL DEFAULT 0;
    UPDATE hours SET max_latencyMs = sum_latencyMs / n WHERE n > 0;
    UPDATE days SET max_latencyMs = sum_latencyMs / n WHERE n > 0;
  `,
  // v3: per backend instance ('' for the backend as a whole), 10 s samples up out of samples taken, per hour: availability.
  `
    CREATE TABLE uptime (hour INTEGER NOT NULL, target TEXT NOT NULL, up INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (hour, target)) WITHOUT ROWID;
  `,
  [
    ...METRICS.map((m) => `UPDATE samples SET ${m} = 0 WHERE NOT (${m} BETWEEN 0 AND ${MAX_METRIC});`),
    ...['hours', 'days'].flatMap((t) => [...METRICS.map((m) => `sum_${m}`), 'max_latencyMs'].map((c) => `UPDATE ${t} SET ${c} = 0 WHERE NOT (${c} BETWEEN 0 AND ${MAX_METRIC} * n);`)),
  ].join('\n'),
  // v5: occupancy may be unknown (NULL): a console whose backend is away does not know who is inside.
  // samples is rebuilt with the same columns in the same order; rollups count the samples that knew
  // it (n_occupancy; NULL in a row from before: all n did).
  `
    CREATE TABLE samples_v5 (ts INTEGER PRIMARY KEY, ${METRICS.map((m) => `${m} REAL${m === 'occupancy' ? '' : ' NOT NULL'}`).join(', ')}, allowed INTEGER NOT NULL, denied INTEGER NOT NULL);
    INSERT INTO samples_v5 SELECT * FROM samples;
    DROP TABLE samples;
    ALTER TABLE samples_v5 RENAME TO samples;
    ALTER TABLE hours ADD COLUMN n_occupancy INTEGER;
    ALTER TABLE days ADD COLUMN n_occupancy INTEGER;
  `,
  // v6: the ms a fractional time falls in (CAST truncates, as the protocol now does on arrival). Its hour
  // in event_hours is unchanged: a time and its whole ms are in the same hour.
  `
    UPDATE events SET ts = CAST(ts AS INTEGER) WHERE typeof(ts) = 'real';
  `,
  // v7: latency may be unknown (NULL) as occupancy may: samples rebuilt as in v5, same columns in the same
  // order (written out, not MAYBE_UNKNOWN: a later edit of that list must not change this step's hash); rollups
  // count the samples that knew it (n_latencyMs; NULL in a row from before: all n did).
  `
    CREATE TABLE samples_v7 (ts INTEGER PRIMARY KEY, ${METRICS.map((m) => `${m} REAL${m === 'latencyMs' || m === 'occupancy' ? '' : ' NOT NULL'}`).join(', ')}, allowed INTEGER NOT NULL, denied INTEGER NOT NULL);
    INSERT INTO samples_v7 SELECT * FROM samples;
    DROP TABLE samples;
    ALTER TABLE samples_v7 RENAME TO samples;
    ALTER TABLE hours ADD COLUMN n_latencyMs INTEGER;
    ALTER TABLE days ADD COLUMN n_latencyMs INTEGER;
    ${LATENCY_NOT_ANSWERED}
  `,
];
