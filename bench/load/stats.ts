import { quantile } from 'simple-statistics';

export const round = (n: number): number => Math.round(n * 100) / 100;
export const q = (xs: number[], p: number): number | null => (xs.length ? round(quantile(xs, p)) : null);

/** What one side (ours or the peer) measured in its own process. */
export interface SideResult {
  name: string;
  version: string;
  connections: number;
  connected: number;
  connect_ms_p50: number | null;
  connect_ms_p99: number | null;
  msgs_sent: number;
  /** Requests answered with the backend's acceptance. */
  msgs_received: number;
  msgs_per_s: number;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  latency_ms_p99: number | null;
  errors: Record<string, number>;
  /** Data tags this side saw accepted: the backend's tally is checked against them. */
  accepted: string[];
  /** Messages never answered either way by the end (counted as lost). */
  unanswered: number;
  rss_mb: number;
  cpu_pct: number;
  cpu_us_per_msg: number;
  loop_lag_ms_p99: number;
  duration_s: number;
}

/** Counts by code; an Error's message is reduced to a short code so the map stays small. */
export function countError(errors: Record<string, number>, e: unknown): void {
  const code =
    (e as { code?: unknown }).code && typeof (e as { code?: unknown }).code === 'string'
      ? ((e as { code: string }).code)
      : /timed out/.test(String((e as Error).message))
        ? 'timeout'
        : /connection lost|not open|closed/i.test(String((e as Error).message))
          ? 'connection-lost'
          : 'other';
  errors[code] = (errors[code] ?? 0) + 1;
}
