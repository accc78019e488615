import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { EMPTY_OUTBOX, FEED_CAPS, emptyFeeds, type Feeds, type Gauges, type Snapshot, type StatePatch } from '../../../shared/state';
import type { BridgeStatus } from '../bridge/web-bridge';

/** One store, one slice per gauge and feed, plus the bridge's own status. Written only from outside React. */
export interface ConsoleState extends Gauges, Feeds {
  synced: boolean;
  bridge: BridgeStatus;
  patchSeq: number;
  /** While the console link is lost: when the figures on screen were last received; else null. */
  staleAsOf: number | null;
}

const initial: ConsoleState = {
  mode: { demo: false, dataDir: '' },
  connection: { state: 'offline', endpoints: [], lastSeq: 0, protocolErrors: 0, continuityLost: 0, cause: null },
  occupancy: { count: 0, capacity: 0 },
  demo: null,
  pools: [],
  outbox: EMPTY_OUTBOX,
  exportProgress: null,
  alerts: [],
  ...emptyFeeds(),
  synced: false,
  bridge: 'connecting',
  patchSeq: 0,
  staleAsOf: null,
};

export const consoleStore = createStore<ConsoleState>(() => initial);

export const useConsole = <T>(selector: (s: ConsoleState) => T): T => useStore(consoleStore, selector);

let early: StatePatch[] = [];

/** When state last arrived: kept outside the store, since it changes with every patch. */
let receivedAt = 0;

export function applySnapshot(snap: Snapshot): void {
  receivedAt = Date.now();
  consoleStore.setState({ ...snap.gauges, ...snap.feeds, synced: true, patchSeq: snap.seq, staleAsOf: null });
  const buffered = early;
  early = [];
  for (const p of buffered) applyPatchNow(p);
}

/** What applying patches costs in this renderer (read by the ui benchmark as window.gymPatchStats). */
export const patchStats = { count: 0, totalMs: 0, maxMs: 0 };
(globalThis as { gymPatchStats?: typeof patchStats }).gymPatchStats = patchStats;

export function applyPatch(patch: StatePatch): void {
  const t0 = performance.now();
  applyPatchNow(patch);
  const ms = performance.now() - t0;
  patchStats.count++;
  patchStats.totalMs += ms;
  if (ms > patchStats.maxMs) patchStats.maxMs = ms;
}

/** Patches that predate the snapshot are already in it; patches before any snapshot wait for one. */
function applyPatchNow(patch: StatePatch): void {
  const s = consoleStore.getState();
  if (!s.synced) {
    if (early.length < 200) early.push(patch);
    return;
  }
  receivedAt = Date.now();
  if (patch.seq <= s.patchSeq) return;
  const next: Partial<ConsoleState> = { ...patch.gauges, patchSeq: patch.seq };
  for (const key of Object.keys(patch.feeds) as (keyof Feeds)[]) {
    const added = patch.feeds[key];
    if (added?.length) (next as Record<string, unknown>)[key] = [...s[key], ...added].slice(-FEED_CAPS[key]);
  }
  consoleStore.setState(next);
}

export function setBridgeStatus(bridge: BridgeStatus): void {
  const s = consoleStore.getState();
  // What is on screen stays, marked with its age, until a fresh snapshot replaces it.
  const staleAsOf = bridge === 'open' ? s.staleAsOf : (s.staleAsOf ?? (receivedAt || null));
  consoleStore.setState(bridge === 'open' ? { bridge } : { bridge, synced: false, staleAsOf });
}
