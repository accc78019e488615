import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import type { AuditView } from '../../src/shared/contract';
import { auditChanges } from '../../src/renderer/src/features/analytics/audit-diff';

/** A new kiosk PC has no PINs yet: the person standing at it must not be the one who sets them. */

const TOKEN = 'kiosk-first-run';
const PINS = { desk: '1234', manager: '5678', kiosk: '9012' };
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());

describe('first run on a kiosk', () => {
  it('refuses to set the PINs, says what IT does instead, and leaves the station a kiosk', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-kiosk-first-')), backend: { endpoints: cluster.urls, token: TOKEN }, kiosk: true });
    try {
      const session = core.newSession();
      const ctx = { transport: 'test' as const, session };
      expect(await dispatch(core.handlers, 'auth.status', undefined, ctx)).toMatchObject({ ok: true, value: { role: 'kiosk', setupNeeded: true } });
      expect(await dispatch(core.handlers, 'auth.setup', PINS, ctx)).toMatchObject({
        ok: false,
        error: { code: 'kiosk-setup', message: expect.stringMatching(/start it once with --desk, set the PINs there/) },
      });
      expect(await dispatch(core.handlers, 'auth.status', undefined, ctx)).toMatchObject({ ok: true, value: { role: 'kiosk', setupNeeded: true } });
      expect(await dispatch(core.handlers, 'pools.list', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await core.stop();
    }
  });

  it('the same data folder started as a console sets them as before', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-kiosk-first-'));
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      const ctx = { transport: 'test' as const, session: core.newSession() };
      expect(await dispatch(core.handlers, 'auth.setup', PINS, ctx)).toMatchObject({ ok: true, value: { role: 'manager', setupNeeded: false } });
      // The audit log's row reads as English: "first run · Set the PINs · front desk, manager and kiosk", no cut-off change list.
      const audit = await dispatch(core.handlers, 'audit.list', undefined, ctx);
      const setup = audit.ok ? (audit.value as AuditView[]).find((a) => a.action === 'auth.setup') : undefined;
      expect(setup).toMatchObject({ actor: 'first run', subject: 'front desk, manager and kiosk' });
      expect(auditChanges(setup!.before, setup!.after, setup!.action)).toEqual([]);
    } finally {
      await core.stop();
    }
  });
});
