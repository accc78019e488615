import type { DenyReason, AllowReason, MemberStatus } from './protocol';

/** What the console shows, streamed from the core as coalesced patches. */

export type LinkState = 'connected' | 'degraded' | 'offline';

export interface EndpointView {
  url: string;
  state: 'connecting' | 'open' | 'closed';
  rttMs: number | null;
  primary: boolean;
}

export interface ConnectionView {
  state: LinkState;
  endpoints: EndpointView[];
  /** Last applied server sequence, for the curious. */
  lastSeq: number;
  protocolErrors: number;
  continuityLost: number;
}

export interface CheckinEntry {
  seq: number;
  ts: number;
  cardId: string;
  memberId: string | null;
  name: string | null;
  status: MemberStatus | null;
  allowed: boolean;
  reason: AllowReason | DenyReason;
  source: 'door' | 'desk' | 'kiosk';
}

export interface Gauges {
  mode: { demo: boolean; dataDir: string };
  connection: ConnectionView;
  occupancy: { count: number; capacity: number };
  demo: { ratePerHour: number } | null;
}

export interface Feeds {
  checkins: CheckinEntry[];
}

/** Feeds keep only their newest entries, in the core and in the renderer alike. */
export const FEED_CAPS: { [K in keyof Feeds]: number } = {
  checkins: 200,
};

export interface Snapshot {
  seq: number;
  gauges: Gauges;
  feeds: Feeds;
}

/** Gauges: last write wins. Feeds: appended, newest last, capped. */
export interface StatePatch {
  seq: number;
  gauges: Partial<Gauges>;
  feeds: Partial<Feeds>;
}

export const emptyFeeds = (): Feeds => ({ checkins: [] });
export const copyFeeds = (f: Feeds): Feeds => ({ checkins: [...f.checkins] });
