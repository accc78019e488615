import type { HealthInputs } from '../../src/main/core/health/checks';
import { EMPTY_OUTBOX } from '../../src/shared/state';

/** Inputs under which every health check is OK: tests change the one they are about. */
export const healthyInputs = (): HealthInputs => ({
  now: Date.UTC(2026, 11, 6, 12),
  connection: { state: 'connected', endpoints: [{ url: 'ws://a:1', state: 'open', rttMs: 3, primary: true, nextTryInMs: null }, { url: 'ws://b:1', state: 'open', rttMs: 3, primary: false, nextTryInMs: null }], lastSeq: 10, protocolErrors: 0, eventsMissed: 0, restartedAt: null, cause: null },
  pools: [],
  startupWarnings: [],
  feed: { applied: 10, head: 10, continuityLostRecently: 0 },
  outbox: EMPTY_OUTBOX,
  roster: { members: 2_400, synced: true, refused: null, notSaved: null },
  stores: { damaged: null, writeFailing: null, dbMb: 3, walMb: 1, lastCheckpointAgoMs: 60_000 },
  freeDiskMb: 50_000,
  process: { rssMb: 200, lagMs: 5 },
  clockSkewMs: 40,
  failedSignIns: { count: 0, windowMin: 10 },
});
