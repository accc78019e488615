import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { DEFAULT_ALERT_SETTINGS, type AlertNotice } from '../../src/shared/health';
import { waitFor } from '../helpers/wait';

const TOKEN = 'core-alerts';
let cluster: Cluster;
let core: Core;
const notices: AlertNotice[] = [];
const as = (role: 'desk' | 'manager') => ({ transport: 'test' as const, session: new Session(role) });

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-core-alerts-')), backend: { endpoints: cluster.urls, token: TOKEN } });
  core.onNotice((n) => notices.push(n));
  await dispatch(core.handlers, 'auth.setup', { desk: '1234', manager: '5678', kiosk: '9012' }, as('manager'));
  await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
  // A PC that has its copy of the members list: the banner tells the desk to go on from it.
  await waitFor(() => core.desk.cache.size > 0, 10_000);
});
afterAll(async () => {
  await core?.stop();
  await cluster?.close();
});

describe('alerts in the running core (live backend, both transports through the one handler table)', () => {
  it('managers configure the rules; a bad duration is refused next to its field and nothing is saved; the desk may not', async () => {
    const rules = structuredClone(DEFAULT_ALERT_SETTINGS.rules);
    rules.backend.pendingSeconds = -1;
    rules.pool.keepFiringSeconds = 86_400;
    const bad = await dispatch(core.handlers, 'alerts.configure', { rules, maxPerHour: 0 }, as('manager'));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const problems = !bad.ok ? bad.error.problems : [];
    expect(problems).toEqual([
      { field: 'rules.backend.pendingSeconds', message: 'Alert after must be between 0 and 3,600 seconds.' },
      { field: 'rules.pool.keepFiringSeconds', message: 'Close after must be between 0 and 3,600 seconds.' },
      { field: 'maxPerHour', message: 'Notifications per hour at most must be between 1 and 200 per hour.' },
    ]);
    expect(await dispatch(core.handlers, 'alerts.settings', undefined, as('manager'))).toMatchObject({ ok: true, value: DEFAULT_ALERT_SETTINGS });
    expect(await dispatch(core.handlers, 'alerts.configure', DEFAULT_ALERT_SETTINGS, as('desk'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    rules.backend = { ...rules.backend, pendingSeconds: 1, keepFiringSeconds: 1 };
    rules.pool.keepFiringSeconds = 60;
    expect(await dispatch(core.handlers, 'alerts.configure', { rules, maxPerHour: 50 }, as('manager'))).toMatchObject({ ok: true });
    const audit = await dispatch(core.handlers, 'audit.list', undefined, as('manager'));
    expect(audit.ok && (audit.value as { action: string }[]).some((a) => a.action === 'alerts.configure')).toBe(true);
  });

  it('every backend instance down: one "backend" notice, the pool and feed inhibited; restored: one resolved notice with its duration', async () => {
    notices.length = 0;
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => notices.some((n) => n.kind === 'firing'), 10_000);
    expect(notices.map((n) => `${n.kind} ${n.alert}`)).toEqual(['firing backend']);
    const health = core.stream.snapshot().gauges.health;
    expect(health.overall).toBe('failing');
    // The desk hears first that it can go on checking members in; the cause follows for IT.
    const [banner] = core.stream.snapshot().gauges.alerts;
    expect(banner!.text).toMatch(/^This PC cannot reach the gym's system\. Keep checking members in/);
    expect(banner!.detail).toMatch(/^Backend connection: No backend instance is reachable \(0 of 2\)/);
    // The desk acknowledges; silencing needs a manager.
    expect(await dispatch(core.handlers, 'alerts.ack', { id: 'backend' }, as('desk'))).toMatchObject({ ok: true, value: { ackedBy: 'front desk' } });
    expect(await dispatch(core.handlers, 'alerts.silence', { id: 'backend', minutes: 60 }, as('desk'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch(core.handlers, 'alerts.silence', { id: 'backend', minutes: -5 }, as('manager'))).toMatchObject({ ok: false, error: { message: 'Silence for must be between 0 and 10,080 minutes.' } });
    expect(core.stream.snapshot().gauges.alerts).toEqual([]); // acknowledged: the banner goes

    await Promise.all(cluster.instances.map((i) => i.restore()));
    await waitFor(() => notices.some((n) => n.kind === 'resolved'), 40_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(notices.map((n) => `${n.kind} ${n.alert}`)).toEqual(['firing backend', 'resolved backend']);
    expect(notices[1]!.durationMs).toBeGreaterThan(0);
    expect(notices[1]!.text).toMatch(/Backend connection is back to normal after \d+ s\./);
    const activity = core.stream.snapshot().feeds.activity.map((a) => a.type);
    expect(activity).toContain('alert-firing');
    expect(activity).toContain('alert-resolved');
  }, 60_000);

  it('a burst of wrong PINs is a security alert at once', async () => {
    notices.length = 0;
    // Fresh sessions and two roles, so the lockout does not slow the burst down.
    for (let i = 0; i < 3; i++) {
      await dispatch(core.handlers, 'auth.login', { role: 'desk', pin: '0000' }, as('desk'));
      await dispatch(core.handlers, 'auth.login', { role: 'manager', pin: '0000' }, as('desk'));
    }
    await waitFor(() => notices.some((n) => n.alert === 'signins'), 5_000);
    expect(notices.find((n) => n.alert === 'signins')).toMatchObject({ kind: 'firing', severity: 'critical', text: expect.stringMatching(/6 wrong PINs in the last 10 min/) });
  });
});
