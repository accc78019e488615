import type { ActivityEntry } from '../../../shared/activity';

/** What the pools report as they work: an activity entry before the core stamps it (types in src/shared/activity). */
export type PoolActivity = Omit<ActivityEntry, 'ts'> & {
  /** The technical detail ("connect ECONNREFUSED 127.0.0.1:9101", the instance's id): the log file's, not the screens'. */
  raw?: string;
  /** The console closed it on purpose (a pool stopped, changed or removed, a socket taken out of use): the log's info, not a warning. */
  onPurpose?: true;
};
