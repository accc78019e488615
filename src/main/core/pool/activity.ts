/** What the pools report as they work; the analytics store records these (connection and pool events). */
export const ACTIVITY_TYPES = [
  'connected',
  'disconnected',
  'failed',
  'reconnected',
  'failover',
  'continuity-lost',
  'breaker-open',
  'breaker-half-open',
  'breaker-closed',
  'rotation-out',
  'rotation-in',
  'quarantined',
  'pool-created',
  'pool-configured',
  'pool-destroyed',
  'token-changed',
] as const;

export interface PoolActivity {
  type: (typeof ACTIVITY_TYPES)[number];
  pool: string;
  endpoint: string;
  detail: string;
}
