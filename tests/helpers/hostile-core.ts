/**
 * The rig of the integration tests that put the whole console core in front of a hostile backend: the backend,
 * a core over it in a fresh data folder, and every pool activity line it reports. Both are stopped when the test
 * ends (core first, then the backend), so no test can forget to.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { startCore, type Core, type CoreOptions } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import type { PoolConfig } from '../../src/shared/pools';
import type { CheckinResult } from '../../src/shared/desk';
import type { CheckView } from '../../src/shared/health';
import type { Result } from '../../src/shared/result';
import { startHostileBackend, type Attack, type HostileBackend } from './hostile-backend';

export interface HostileCoreOptions extends NonNullable<Parameters<typeof startHostileBackend>[0]> {
  /** Instances that attack from the start, by index. */
  attacks?: Partial<Record<number, Attack>>;
  /** Instances whose program is stuck from the start (freezeApp). */
  frozen?: number[];
  /** Anything else done to the backend before the console starts (a card it fails on, events already in its log). */
  before?: (hb: HostileBackend) => void;
  /** One saved pool over the backend's addresses, these settings over the defaults below; left out, the core's own default pool. */
  pool?: Partial<PoolConfig>;
  /** Further startCore options; a `dataDir` here is used instead of a fresh one (a folder an older console left). */
  core?: Partial<CoreOptions>;
  /** The fresh data folder's name prefix, to tell tests' folders apart. */
  dataDirPrefix?: string;
}

export interface HostileCore {
  hb: HostileBackend;
  core: Core;
  /** Every activity line the core's pools report, in order. */
  activity: PoolActivity[];
}

/** Must be called inside a test (not a beforeAll): what it starts is stopped when that test finishes. */
export async function hostileCore(opts: HostileCoreOptions = {}): Promise<HostileCore> {
  const { attacks = {}, frozen = [], before, pool, core: coreOpts, dataDirPrefix = 'gym-hostile-core-', ...backendOpts } = opts;
  let hb: HostileBackend | null = null;
  let core: Core | null = null;
  // Registered before anything starts, so a start that throws halfway still stops what it started.
  onTestFinished(async () => {
    await core?.stop();
    await hb?.close();
  });
  const b = (hb = await startHostileBackend(backendOpts));
  for (const [i, attack] of Object.entries(attacks)) if (attack) b.setAttack(Number(i), attack);
  for (const i of frozen) b.freezeApp(i, true); // each socket is welcomed, then its program answers nothing
  before?.(b);
  let poolStore: CoreOptions['poolStore'];
  if (pool) {
    poolStore = memoryPoolStore();
    poolStore.save([{ name: 'gym', endpoints: b.urls, maxConnections: 4, healthCheckInterval: 250, reconnectAttempts: 3, strategy: 'health-weighted', handshakeTimeout: 3_000, ...pool }]);
  }
  const c = (core = await startCore({
    version: 't',
    backend: { endpoints: b.urls, token: b.token },
    ...(poolStore && { poolStore }),
    ...coreOpts,
    dataDir: coreOpts?.dataDir ?? mkdtempSync(join(tmpdir(), dataDirPrefix)),
  }));
  const activity: PoolActivity[] = [];
  c.pools.on('activity', (a) => activity.push(a));
  return { hb: b, core: c, activity };
}

/** A card scanned at the desk or a kiosk, from a screen of that role, as the screen's bridge sends it. */
/**
 * A check-in from a screen at `source`, signed in as `role` (the source's own by default). A kiosk is told only what its
 * screen shows (kiosk-replies.ts): a test that reads staff facts of a kiosk scan asks as the desk.
 */
export function deskCheckin(core: Core, cardId: string, source: 'desk' | 'kiosk' = 'desk', role: 'desk' | 'kiosk' = source): Promise<Result<CheckinResult>> {
  return dispatch(core.handlers, 'desk.checkin', { cardId, source }, { transport: 'test', session: new Session(role) }) as Promise<Result<CheckinResult>>;
}

/** One Health check as the screens have it now (it must exist). */
export const healthCheck = (core: Core, id: string): CheckView => core.stream.current('health').checks.find((x) => x.id === id)!;
