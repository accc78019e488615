import type { ActivityEntry } from '../../../shared/activity';

/** What the pools report as they work: an activity entry before the core stamps it (types in src/shared/activity). */
export type PoolActivity = Omit<ActivityEntry, 'ts'>;
